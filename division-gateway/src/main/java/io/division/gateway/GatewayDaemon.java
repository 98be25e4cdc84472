package io.division.gateway;

import io.division.core.deploy.Executor;
import io.division.core.deploy.GatewayOptions;
import io.division.core.deploy.Reconciler;
import io.division.core.model.Messages;
import io.division.core.store.Store;
import io.division.core.store.StoreException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The gateway's loop, as tasks on one scheduler thread: a pass (renew the lease when due, then one
 * {@link Reconciler} pass while leading) runs whenever the store changes, at least every resync
 * interval, and often enough to see running attempts finish. Between passes it waits on the store's
 * change signal in short slices, so a stop is noticed quickly. Store outages are retried with
 * jittered exponential backoff; neither they nor a malformed object end the gateway.
 */
public final class GatewayDaemon implements AutoCloseable {
  public static final String VERSION = versionOf();

  private static final Duration MIN_PASS_INTERVAL = Duration.ofMillis(20);
  private static final Duration ACTIVE_POLL = Duration.ofMillis(100);
  private static final Duration WAIT_SLICE = Duration.ofMillis(200);
  private static final Duration ATTEMPT_LOOK = Duration.ofMillis(20);
  private static final Duration RACE_RETRY = Duration.ofMillis(50);
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  private final Store store;
  private final GatewayOptions options;
  private final Executor executor;
  private final Consumer<String> events;
  private final ClusterLease lease;
  private final Reconciler reconciler;
  private final ScheduledExecutorService loop;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final AtomicLong passes = new AtomicLong();
  private final AtomicLong storeErrors = new AtomicLong();
  private final AtomicLong passErrors = new AtomicLong();
  private final GatewayMetrics metrics = new GatewayMetrics();
  private volatile long lastPassNanos = System.nanoTime();
  private volatile boolean stopping;
  private volatile boolean started;
  private long nextHeartbeat = System.nanoTime();
  private long nextResync = System.nanoTime();
  private boolean leader;
  private Duration backoff = FIRST_BACKOFF;

  private GatewayDaemon(Builder b) {
    this.store = Objects.requireNonNull(b.store, "store");
    this.options = Objects.requireNonNull(b.options, "options");
    this.executor = Objects.requireNonNull(b.executor, "executor");
    this.events = b.events == null ? line -> {} : b.events;
    Clock clock = b.clock == null ? Clock.systemUTC() : b.clock;
    this.lease = new ClusterLease(store, options, executor.name(), clock, events);
    this.reconciler =
        new Reconciler(store, options, executor, lease, clock, events).listener(new InstallLog());
    this.loop =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "div-gateway-loop");
              t.setDaemon(false);
              return t;
            });
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Starts the loop on its own thread and returns at once. */
  public GatewayDaemon start() {
    if (started) throw new IllegalStateException("the gateway is already started");
    started = true;
    events.accept(
        "gateway "
            + lease.holder()
            + " serving cluster "
            + options.cluster()
            + " with the "
            + executor.name()
            + " executor");
    loop.execute(this::pass);
    return this;
  }

  /**
   * Starts the loop and returns when it has stopped: after {@link #stop()}, or once {@code
   * stopWhen} says so (checked every 50 ms).
   */
  public void run(BooleanSupplier stopWhen) throws InterruptedException {
    start();
    loop.scheduleWithFixedDelay(
        () -> {
          if (stopWhen.getAsBoolean()) stop();
        },
        50,
        50,
        TimeUnit.MILLISECONDS);
    awaitStopped();
  }

  /**
   * Asks the loop to stop: running attempts are stopped and handed back as Pending, the lease is
   * given up, the executor closed. Returns at once; {@link #awaitStopped()} waits for it.
   */
  public void stop() {
    stopping = true;
    try {
      loop.execute(this::shutDown); // not after a long backoff or wait: next on the loop thread
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // already stopped
    }
  }

  public void awaitStopped() throws InterruptedException {
    stopped.await();
  }

  public boolean awaitStopped(Duration timeout) throws InterruptedException {
    return stopped.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Stops and waits. */
  @Override
  public void close() throws InterruptedException {
    if (!started) {
      loop.shutdownNow();
      executor.close();
      return;
    }
    stop();
    awaitStopped();
  }

  // --- what health checks and metrics read -------------------------------------------------------

  /** How long since the last pass that reached the store. */
  public Duration sinceLastPass() {
    return Duration.ofNanos(System.nanoTime() - lastPassNanos);
  }

  public boolean leading() {
    return lease.held();
  }

  public long passes() {
    return passes.get();
  }

  public long storeErrors() {
    return storeErrors.get();
  }

  /**
   * Passes that ended with an error other than a store outage (a bug, or data it could not use).
   */
  public long passErrors() {
    return passErrors.get();
  }

  public GatewayOptions options() {
    return options;
  }

  public String gatewayId() {
    return lease.holder();
  }

  /** Who held the cluster's lease at this gateway's last renewal (null before the first). */
  public String leaseHolder() {
    return lease.lastSeenHolder();
  }

  /** Install transitions, durations and Deployment lag, as the reconciler reported them. */
  public GatewayMetrics metrics() {
    return metrics;
  }

  /** Whether a pass has reached the store yet: the gateway is ready from then on. */
  public boolean reachedStore() {
    return passes.get() > 0;
  }

  /** One log line per install transition, and the same transitions counted for /metrics. */
  private final class InstallLog implements io.division.core.deploy.InstallEvent.Listener {
    @Override
    public void installEvent(io.division.core.deploy.InstallEvent e) {
      events.accept(e.describe());
      switch (e.kind()) {
        case CLAIMED -> metrics.transition(GatewayMetrics.Transition.CLAIMED);
        case STARTED -> metrics.transition(GatewayMetrics.Transition.STARTED);
        case RETRIED -> metrics.transition(GatewayMetrics.Transition.RETRIED);
        case SUCCEEDED, FAILED -> {
          if (e.ran() != null)
            metrics.finished(
                e.kind() == io.division.core.deploy.InstallEvent.Kind.SUCCEEDED, e.ran());
          else metrics.transition(GatewayMetrics.Transition.FAILED);
        }
      }
    }

    @Override
    public void deploymentSeen(io.division.core.model.ResourceKey deployment, Duration lag) {
      metrics.watchLag(lag);
    }
  }

  // --- the loop ----------------------------------------------------------------------------------

  private void pass() {
    if (stopping) {
      shutDown();
      return;
    }
    long mark = store.changeMark();
    long passStarted = System.nanoTime();
    try {
      if (passStarted - nextHeartbeat >= 0) {
        boolean wasLeader = leader;
        leader = lease.renew();
        if (!leader) reconciler.relinquish();
        if (leader != wasLeader)
          events.accept(
              leader
                  ? "holding the lease of cluster "
                      + options.cluster()
                      + " (generation "
                      + lease.generation()
                      + ")"
                  : "standing by: another gateway holds the lease of cluster " + options.cluster());
        nextHeartbeat = passStarted + options.heartbeatEvery().toNanos();
        // The renewal is a write of our own to the Cluster, which no pass reads: taken again after
        // it, the mark does not wake the next pass for it (on DynamoDB that halved the idle passes
        // and their reads). Taken before the reads below, it still covers every change they could
        // miss.
        mark = store.changeMark();
      }
      if (leader) {
        reconciler.reconcileDeployments();
        reconciler.reconcileInstalls();
      }
      lastPassNanos = System.nanoTime();
      passes.incrementAndGet();
      backoff = FIRST_BACKOFF;
    } catch (StoreException e) {
      if (e.is(StoreException.Reason.CONFLICT)
          || e.is(StoreException.Reason.ALREADY_EXISTS)
          || e.is(StoreException.Reason.NOT_FOUND)) {
        // A race another writer won (or a resource deleted under us): look again shortly.
        schedule(this::pass, RACE_RETRY);
        return;
      }
      storeErrors.incrementAndGet();
      retryAfterBackoff("store unavailable (" + Messages.oneLine(e.getMessage()) + ")");
      return;
    } catch (RuntimeException e) {
      // Never end the loop: whatever this was, the next pass may not meet it again.
      passErrors.incrementAndGet();
      // The whole cause chain: fabric8, for one, says only "An error has occurred." itself.
      retryAfterBackoff("reconcile pass failed (" + KubernetesErrors.describe(e) + ")");
      return;
    }
    if (passStarted - nextResync >= 0) nextResync = passStarted + options.resyncEvery().toNanos();
    long due = earliest(nextResync, nextHeartbeat);
    if (reconciler.activeCount() > 0) due = earliest(due, passStarted + ACTIVE_POLL.toNanos());
    long dueAt = due;
    long markSeen = mark;
    // Our own writes and log lines move the mark too: a short floor keeps a busy store from
    // turning into back-to-back passes.
    long floor = MIN_PASS_INTERVAL.toNanos() - (System.nanoTime() - passStarted);
    schedule(() -> awaitChange(markSeen, dueAt), Duration.ofNanos(Math.max(0, floor)));
  }

  private void retryAfterBackoff(String what) {
    Duration pause =
        backoff.plusMillis(ThreadLocalRandom.current().nextLong(backoff.toMillis() + 1));
    events.accept(what + "; retrying in " + pause.toMillis() + " ms");
    backoff =
        backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
    schedule(this::pass, pause);
  }

  /** Waits for a change or the due time, one short slice per task, then runs a pass. */
  private void awaitChange(long mark, long dueAt) {
    if (stopping) {
      shutDown();
      return;
    }
    long left = dueAt - System.nanoTime();
    try {
      if (left <= 0 || store.changeMark() != mark || reconciler.attemptEnded()) {
        pass();
        return;
      }
      // While attempts run, their ends are looked for every few milliseconds (a file check
      // each): the full pass, which reads the store, keeps its own pace.
      long slice = reconciler.activeCount() > 0 ? ATTEMPT_LOOK.toNanos() : WAIT_SLICE.toNanos();
      store.awaitChange(mark, Duration.ofNanos(Math.min(left, slice)));
    } catch (InterruptedException e) {
      stopping = true;
    } catch (RuntimeException e) {
      pass(); // the pass reports what is wrong with the store and backs off
      return;
    }
    loop.execute(() -> awaitChange(mark, dueAt));
  }

  private void schedule(Runnable task, Duration delay) {
    if (stopping) {
      loop.execute(this::shutDown);
      return;
    }
    loop.schedule(
        () -> {
          if (stopping) shutDown();
          else task.run();
        },
        delay.toNanos(),
        TimeUnit.NANOSECONDS);
  }

  private boolean shutDownDone;

  private void shutDown() {
    if (shutDownDone) return;
    shutDownDone = true;
    try {
      reconciler.close();
      try {
        lease.release();
      } catch (StoreException e) {
        // unreachable: the lease simply runs out
      }
    } catch (RuntimeException e) {
      events.accept("stopping: " + Messages.oneLine(e.getMessage()));
    } finally {
      executor.close();
      events.accept("gateway stopping");
      loop.shutdownNow();
      stopped.countDown();
    }
  }

  private static long earliest(long a, long b) {
    return a - b <= 0 ? a : b;
  }

  private static String versionOf() {
    String v = GatewayDaemon.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  public static final class Builder {
    private Store store;
    private GatewayOptions options;
    private Executor executor;
    private Consumer<String> events;
    private Clock clock;

    private Builder() {}

    public Builder store(Store store) {
      this.store = store;
      return this;
    }

    public Builder options(GatewayOptions options) {
      this.options = options;
      return this;
    }

    /** Owned by the daemon from here on: closed when it stops. */
    public Builder executor(Executor executor) {
      this.executor = executor;
      return this;
    }

    /** Where the gateway's log lines go (one line each). */
    public Builder events(Consumer<String> events) {
      this.events = events;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    public GatewayDaemon build() {
      return new GatewayDaemon(this);
    }
  }
}
