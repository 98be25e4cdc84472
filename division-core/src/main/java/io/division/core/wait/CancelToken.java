package io.division.core.wait;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Asks a running {@link WaitSession} to stop; its waits then end as CANCELLED, never TIMED_OUT.
 * Safe to cancel from any thread, including a signal handler; the session notices within its poll
 * cap (a quarter second by default).
 */
public final class CancelToken {
  private final AtomicReference<String> reason = new AtomicReference<>();

  /** Cancels; the first reason given is kept. */
  public void cancel(String why) {
    reason.compareAndSet(null, why == null ? "cancelled" : why);
  }

  public void cancel() {
    cancel("cancelled");
  }

  public boolean isCancelled() {
    return reason.get() != null;
  }

  /** Why it was cancelled, or null while it is not. */
  public String reason() {
    return reason.get();
  }
}
