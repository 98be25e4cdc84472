package io.division.core.wait;

import io.division.core.DivisionException;
import io.division.core.logs.LogFollower;
import io.division.core.model.Resource;
import io.division.core.model.ResourceKey;
import io.division.core.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Runs waits to their end on the calling thread: the command line's {@code div wait}. Built on the
 * same judgement as {@link WaitCheck}, with one watch per kind and namespace, so it sees every
 * version of the resource, not only the ones a poll happens to catch. Between passes it sleeps on
 * the store's change signal, never longer than its poll cap.
 *
 * <p>What it sees goes to the caller's {@link WaitSink}: versions, log lines (when asked), a
 * progress call at the start and at the progress interval, and each end. A cancel through the
 * {@link CancelToken} (or an interrupt of the thread) ends the remaining waits as CANCELLED.
 */
public final class WaitSession {
  private final Store store;
  private final Clock clock;
  private final boolean followLogs;
  private final Duration progressEvery;
  private final Duration pollCap;

  private WaitSession(Builder b) {
    this.store = Objects.requireNonNull(b.store, "store");
    this.clock = b.clock;
    this.followLogs = b.followLogs;
    this.progressEvery = b.progressEvery;
    this.pollCap = b.pollCap;
  }

  public static Builder builder(Store store) {
    return new Builder(store);
  }

  /** Runs one wait to its end. */
  public WaitStatus run(WaitSpec spec, WaitSink sink, CancelToken cancel) {
    return runAll(List.of(spec), sink, cancel).get(0);
  }

  /**
   * Runs several waits at once to their ends and returns their statuses in the order given. A spec
   * given twice is waited on once.
   *
   * @throws DivisionException the store's errors (UNAVAILABLE...) end the session
   */
  public List<WaitStatus> runAll(List<WaitSpec> specs, WaitSink sink, CancelToken cancel) {
    WaitSink out = sink == null ? new WaitSink() {} : sink;
    CancelToken token = cancel == null ? new CancelToken() : cancel;
    Map<WaitSpec, WaitGroup.Waiting> waits = new LinkedHashMap<>();
    Map<String, WaitGroup> groups = new LinkedHashMap<>();
    List<WaitStatus> ended = new ArrayList<>();
    for (WaitSpec spec : specs) {
      if (waits.containsKey(spec)) continue;
      WaitGroup.Waiting w =
          new WaitGroup.Waiting(
              spec,
              new WaitGroup.Observer() {
                @Override
                public void seen(Resource resource) {
                  out.seen(resource);
                }

                @Override
                public void ended(WaitStatus status) {
                  ended.add(status);
                }
              });
      waits.put(spec, w);
      ResourceKey key = spec.key();
      groups
          .computeIfAbsent(
              key.kind() + "\u0000" + key.namespace(),
              k -> new WaitGroup(store, key.kind(), key.namespace()))
          .add(w);
    }
    Map<ResourceKey, LogFollower> logs = new LinkedHashMap<>();
    if (followLogs) {
      for (WaitSpec spec : waits.keySet())
        logs.computeIfAbsent(spec.key(), k -> new LogFollower(store, k));
    }
    Instant start = clock.instant();
    Instant nextProgress = start;
    int open = waits.size();
    try {
      while (true) {
        long mark = store.changeMark();
        Instant now = clock.instant();
        for (WaitGroup g : groups.values()) g.step(now);
        drainLogs(logs, out);
        for (WaitStatus s : ended) out.ended(s);
        open -= ended.size();
        ended.clear();
        if (open == 0) break;
        if (token.isCancelled() || Thread.currentThread().isInterrupted()) {
          cancelAll(waits, out, token);
          break;
        }
        now = clock.instant();
        if (!now.isBefore(nextProgress)) {
          out.waiting(pending(waits), Duration.between(start, now));
          nextProgress = progressEvery == null ? Instant.MAX : now.plus(progressEvery);
        }
        store.awaitChange(mark, nap(waits, now, nextProgress));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      drainLogs(logs, out);
      cancelAll(waits, out, token);
    } finally {
      groups.values().forEach(WaitGroup::close);
    }
    List<WaitStatus> results = new ArrayList<>();
    for (WaitSpec spec : specs) {
      WaitGroup.Waiting w = waits.get(spec);
      results.add(w.finalStatus());
    }
    return results;
  }

  private static void drainLogs(Map<ResourceKey, LogFollower> logs, WaitSink out) {
    for (Map.Entry<ResourceKey, LogFollower> e : logs.entrySet())
      e.getValue().drain(line -> out.log(e.getKey(), line));
  }

  private static void cancelAll(
      Map<WaitSpec, WaitGroup.Waiting> waits, WaitSink out, CancelToken token) {
    List<WaitStatus> cancelled = new ArrayList<>();
    for (WaitGroup.Waiting w : waits.values()) {
      if (w.ended()) continue;
      WaitStatus s = WaitStatus.cancelled(w.spec(), w.last(), token.reason());
      if (w.end(s)) cancelled.add(s);
    }
    // end() told the observer, which collects; report here, on the session's thread.
    cancelled.forEach(out::ended);
  }

  private static List<WaitSpec> pending(Map<WaitSpec, WaitGroup.Waiting> waits) {
    List<WaitSpec> out = new ArrayList<>();
    for (WaitGroup.Waiting w : waits.values()) if (!w.ended()) out.add(w.spec());
    return out;
  }

  /** How long to sleep: the poll cap, shortened to the next deadline or progress report. */
  private Duration nap(Map<WaitSpec, WaitGroup.Waiting> waits, Instant now, Instant nextProgress) {
    Instant wake = now.plus(pollCap);
    if (nextProgress.isBefore(wake)) wake = nextProgress;
    for (WaitGroup.Waiting w : waits.values()) {
      Instant d = w.spec().deadline();
      if (!w.ended() && d != null && d.isBefore(wake)) wake = d;
    }
    Duration left = Duration.between(now, wake);
    return left.isNegative() ? Duration.ZERO : left;
  }

  public static final class Builder {
    private final Store store;
    private Clock clock = Clock.systemUTC();
    private boolean followLogs;
    private Duration progressEvery = Duration.ofSeconds(30);
    private Duration pollCap = Duration.ofMillis(250);

    private Builder(Store store) {
      this.store = store;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Report each awaited resource's log lines (from its first line) while waiting. */
    public Builder followLogs(boolean followLogs) {
      this.followLogs = followLogs;
      return this;
    }

    /** How often {@link WaitSink#waiting} is called after the first time; null or zero: never. */
    public Builder progressEvery(Duration every) {
      if (every != null && every.isNegative())
        throw DivisionException.invalid("a progress interval cannot be negative");
      this.progressEvery = every == null || every.isZero() ? null : every;
      return this;
    }

    /** The longest the session sleeps between passes; bounds how late a cancel is noticed. */
    public Builder pollCap(Duration cap) {
      if (cap == null || cap.isNegative() || cap.isZero())
        throw DivisionException.invalid("a poll cap must be positive");
      this.pollCap = cap;
      return this;
    }

    public WaitSession build() {
      return new WaitSession(this);
    }
  }
}
