package io.division.core.wait;

import io.division.core.model.Resource;

/**
 * Told what a shared wait sees. Calls come from the executor given to {@link SharedWaits} (or, for
 * a cancel, from the thread that cancels) and must return quickly: they share that executor with
 * every other wait.
 */
public interface WaitListener {
  /** Each version of the awaited resource seen while waiting. */
  default void seen(Resource resource) {}

  /** The end of the wait, exactly once: met, failed, deleted, timed out or cancelled. */
  void ended(WaitStatus status);
}
