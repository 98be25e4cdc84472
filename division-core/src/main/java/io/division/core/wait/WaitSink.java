package io.division.core.wait;

import io.division.core.model.Resource;
import io.division.core.model.ResourceKey;
import io.division.core.store.LogLine;
import java.time.Duration;
import java.util.List;

/**
 * Where a {@link WaitSession} reports what it sees, on the session's own thread. Every method has a
 * do-nothing default; a command line prints, a test records.
 */
public interface WaitSink {
  /** Each version of an awaited resource seen while waiting. */
  default void seen(Resource resource) {}

  /** A line of an awaited resource's log (when the session follows logs). */
  default void log(ResourceKey key, LogLine line) {}

  /**
   * Still waiting: once when the session starts, then at the session's progress interval.
   *
   * @param pending the waits not yet ended, advanced to what was last seen
   * @param elapsed how long the session has been waiting
   */
  default void waiting(List<WaitSpec> pending, Duration elapsed) {}

  /** One wait ended; called once per spec, after the log lines that came before its end. */
  default void ended(WaitStatus status) {}
}
