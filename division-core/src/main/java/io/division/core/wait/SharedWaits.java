package io.division.core.wait;

import io.division.core.DivisionException;
import io.division.core.model.Resource;
import io.division.core.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Many waits on one store, for a long-lived process (a Jenkins controller with hundreds of builds
 * waiting, a gateway). Waits on the same kind share one watch, polled by one short task on the
 * caller's {@link ScheduledExecutorService} at the poll interval: the store is read once per kind
 * per interval however many waits there are (plus one read, or one list for a batch, when waits are
 * registered). A task never sleeps or waits on the store's change signal, so it never holds the
 * executor's threads; this class starts no thread of its own.
 *
 * <p>Each listener gets the versions it sees and exactly one end. A wait's deadline is checked at
 * every pass, so a TIMED_OUT arrives within one interval of it.
 */
public final class SharedWaits implements AutoCloseable {
  /** A registered wait. */
  public interface Handle {
    /** Ends the wait as CANCELLED (the listener hears it at once), unless it has already ended. */
    void cancel();

    /** The spec advanced to the last version seen: persist it to resume after a restart. */
    WaitSpec spec();

    boolean ended();
  }

  private final Store store;
  private final ScheduledExecutorService executor;
  private final Duration pollInterval;
  private final Clock clock;
  private final Object lock = new Object();
  private final Map<String, Poller> pollers = new HashMap<>();
  private final AtomicLong passes = new AtomicLong();
  private boolean closed;

  private SharedWaits(Builder b) {
    this.store = Objects.requireNonNull(b.store, "store");
    this.executor = Objects.requireNonNull(b.executor, "executor");
    this.pollInterval = b.pollInterval;
    this.clock = b.clock;
  }

  /** Shared waits on {@code store}, polled every quarter second on {@code executor}. */
  public SharedWaits(Store store, ScheduledExecutorService executor) {
    this(builder(store, executor));
  }

  public static Builder builder(Store store, ScheduledExecutorService executor) {
    return new Builder(store, executor);
  }

  /**
   * Starts waiting. The listener may hear the end before this returns only through a cancel; the
   * first read happens on the executor.
   *
   * @throws DivisionException INVALID after {@link #close()}
   */
  public Handle register(WaitSpec spec, WaitListener listener) {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(listener, "listener");
    WaitGroup.Waiting waiting =
        new WaitGroup.Waiting(
            spec,
            new WaitGroup.Observer() {
              @Override
              public void seen(Resource resource) {
                listener.seen(resource);
              }

              @Override
              public void ended(WaitStatus status) {
                listener.ended(status);
              }
            });
    synchronized (lock) {
      if (closed) throw DivisionException.invalid("these shared waits are closed");
      String kind = spec.key().kind();
      Poller poller = pollers.get(kind);
      if (poller == null) {
        poller = new Poller(kind);
        pollers.put(kind, poller);
        poller.start();
      }
      poller.group.add(waiting);
    }
    return new Handle() {
      @Override
      public void cancel() {
        waiting.end(WaitStatus.cancelled(waiting.spec(), waiting.last(), "cancelled"));
      }

      @Override
      public WaitSpec spec() {
        return waiting.spec();
      }

      @Override
      public boolean ended() {
        return waiting.ended();
      }
    };
  }

  /** How many kinds are being polled now (each by one task). */
  public int pollers() {
    synchronized (lock) {
      return pollers.size();
    }
  }

  /** How many passes all pollers have made (each reads the store at most once per kind). */
  public long passes() {
    return passes.get();
  }

  /** Cancels every wait not yet ended and stops polling. */
  @Override
  public void close() {
    List<Poller> all;
    synchronized (lock) {
      closed = true;
      all = new ArrayList<>(pollers.values());
      pollers.clear();
    }
    for (Poller p : all) p.stop();
  }

  /** One kind's waits and the task that polls them. */
  private final class Poller {
    private final String kind;
    private final WaitGroup group;
    private ScheduledFuture<?> task;
    private boolean stopped;

    Poller(String kind) {
      this.kind = kind;
      this.group = new WaitGroup(store, kind, null);
    }

    void start() {
      task =
          executor.scheduleWithFixedDelay(
              this::pass, 0, pollInterval.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void pass() {
      synchronized (this) {
        if (stopped) return;
        try {
          group.step(clock.instant());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        } catch (RuntimeException e) {
          // A store that cannot be read now (UNAVAILABLE) is tried again at the next pass; the
          // waits' deadlines still end them. Thrown out of here, the executor would stop the task.
        }
        passes.incrementAndGet();
      }
      synchronized (lock) {
        synchronized (this) {
          if (!group.isEmpty() || stopped) return;
          pollers.remove(kind);
          stopped = true;
          task.cancel(false);
          group.close();
        }
      }
    }

    void stop() {
      synchronized (this) {
        stopped = true;
        if (task != null) task.cancel(false);
        for (WaitGroup.Waiting w : group.waiting())
          w.end(WaitStatus.cancelled(w.spec(), w.last(), "cancelled"));
        group.close();
      }
    }
  }

  public static final class Builder {
    private final Store store;
    private final ScheduledExecutorService executor;
    private Duration pollInterval = Duration.ofMillis(250);
    private Clock clock = Clock.systemUTC();

    private Builder(Store store, ScheduledExecutorService executor) {
      this.store = store;
      this.executor = executor;
    }

    /** How often each kind's watch is read; bounds how late a change is noticed. */
    public Builder pollInterval(Duration interval) {
      if (interval == null || interval.isNegative() || interval.isZero())
        throw DivisionException.invalid("a poll interval must be positive");
      this.pollInterval = interval;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public SharedWaits build() {
      return new SharedWaits(this);
    }
  }
}
