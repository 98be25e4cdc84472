package io.division.core.store;

import java.time.Duration;

/** An open watch. Pull-based so that waiters, the CLI and reconcilers stay simple and testable. */
public interface Watch extends AutoCloseable {
  /**
   * The next event, or null when none arrived within {@code timeout}.
   *
   * @throws StoreException with reason GONE when the watch's position has been trimmed from the
   *     change log: relist and watch again
   */
  WatchEvent poll(Duration timeout) throws InterruptedException;

  @Override
  void close();
}
