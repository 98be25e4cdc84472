package io.division.core.store.dynamodb;

import io.division.core.store.StoreException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with full jitter (a random wait between 0 and min(cap, base * 2^attempt)):
 * contending writers and retried batches spread out instead of colliding again in lockstep. The SDK
 * retries throttling and transient errors of single calls the same way; this covers our own loops
 * (lost counter races, unprocessed batch items, a log commit waiting its turn).
 */
final class Backoff {
  private final long baseNanos;
  private final long capNanos;
  private int attempt;

  Backoff(Duration base, Duration cap) {
    this.baseNanos = base.toNanos();
    this.capNanos = cap.toNanos();
  }

  /** A plain wait, for polling a table until it is ready. */
  static void sleep(Duration d) {
    try {
      java.util.concurrent.TimeUnit.NANOSECONDS.sleep(d.toNanos());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException(
          StoreException.Reason.UNAVAILABLE, "interrupted while waiting for DynamoDB", e);
    }
  }

  int attempts() {
    return attempt;
  }

  /** One pause as if {@code previous} attempts had already failed. */
  void pauseAfter(int previous) {
    attempt = previous;
    pause();
  }

  void pause() {
    long ceiling = Math.min(capNanos, baseNanos << Math.min(attempt, 20));
    attempt++;
    long nanos = ThreadLocalRandom.current().nextLong(ceiling + 1);
    try {
      java.util.concurrent.TimeUnit.NANOSECONDS.sleep(nanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException(
          StoreException.Reason.UNAVAILABLE, "interrupted while retrying a DynamoDB call", e);
    }
  }
}
