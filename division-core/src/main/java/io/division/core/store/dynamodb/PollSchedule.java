package io.division.core.store.dynamodb;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * When the watches of one handle read a kind's version counter again: soon after a read that found
 * a change, then, while nothing changes, after twice the previous wait each time, up to a cap.
 * Between reads the counter as last read answers: every version up to it is committed (see {@link
 * DynamoChangeLog#changesAfter}), so a watch behind it still reads those changes at once; only news
 * written since is seen later, at the next read. An idle watcher therefore costs one read per cap
 * interval instead of one per poll interval, and all watches of a kind on one handle share the
 * reads.
 *
 * <p>A read is due a little early (half the fast interval): callers that poll on their own schedule
 * (shared waits every 250 ms) then read at the pass nearest the due time instead of one pass late,
 * which would stretch the idle interval and the reaction time by up to a pass.
 */
final class PollSchedule {
  private final long fastNanos;
  private final long idleNanos;
  private final long slackNanos;
  private final LongSupplier nanoClock;
  private final Map<String, KindState> kinds = new HashMap<>();

  private static final class KindState {
    long counter;
    long readAt;
    long intervalNanos;
    long changedAt;
    boolean changedSinceRead;
  }

  PollSchedule(Duration fast, Duration idle, LongSupplier nanoClock) {
    this.fastNanos = fast.toNanos();
    this.idleNanos = Math.max(fastNanos, idle.toNanos());
    this.slackNanos = fastNanos / 2;
    this.nanoClock = nanoClock;
  }

  /** Now, on the clock this schedule runs on: pass it to {@link #read} as the read's start. */
  long now() {
    return nanoClock.getAsLong();
  }

  /**
   * The counter as last read, if reading it again is not due yet; -1 when the caller should read it
   * (never read, its wait is over, or a write through this handle happened since).
   */
  synchronized long counterIfNotDue(String kind) {
    KindState k = kinds.get(kind);
    if (k == null || k.changedSinceRead) return -1;
    if (nanoClock.getAsLong() - k.readAt >= k.intervalNanos - slackNanos) return -1;
    return k.counter;
  }

  /**
   * Records a read of the counter that started at {@code startedAt} ({@link #now()}): a value above
   * the previous one resets the wait to the fast interval, the same value doubles it.
   */
  synchronized void read(String kind, long counter, long startedAt) {
    KindState k = kinds.get(kind);
    if (k == null) {
      k = new KindState();
      k.counter = counter;
      k.readAt = startedAt;
      k.intervalNanos = fastNanos;
      kinds.put(kind, k);
      return;
    }
    if (startedAt - k.readAt < 0) return; // a slower, older read finishing late: nothing new
    k.intervalNanos = counter > k.counter ? fastNanos : Math.min(idleNanos, k.intervalNanos * 2);
    k.counter = Math.max(k.counter, counter);
    k.readAt = startedAt;
    // A write signalled while this read was under way may not be in what it returned.
    if (k.changedSinceRead && startedAt - k.changedAt > 0) k.changedSinceRead = false;
  }

  /** A write through this handle: every kind is read at its next poll, and soon after. */
  synchronized void changed() {
    long now = nanoClock.getAsLong();
    for (KindState k : kinds.values()) {
      k.changedSinceRead = true;
      k.changedAt = now;
      k.intervalNanos = fastNanos;
    }
  }

  /** The wait before the next read of {@code kind} as it stands (for tests). */
  synchronized Duration interval(String kind) {
    KindState k = kinds.get(kind);
    return Duration.ofNanos(k == null ? fastNanos : k.intervalNanos);
  }
}
