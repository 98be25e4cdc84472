package io.division.core.deploy;

import java.util.function.Consumer;

/**
 * Runs installs. What runs comes only from the gateway's configuration; the store supplies only the
 * validated values of an {@link InstallRun}.
 */
public interface Executor extends AutoCloseable {
  /** For Cluster status and messages: {@code process}, {@code kubernetes}, {@code brigade}. */
  String name();

  /**
   * Starts the attempt, or re-adopts it when its object already exists (a gateway restarted while
   * it ran). Output lines go to {@code log}; the handle reports the outcome.
   */
  Handle start(InstallRun run, Consumer<String> log) throws ExecutorException;

  /**
   * Re-adopts an attempt that a previous gateway process started, if it can: empty when the
   * executor cannot follow it any more, in which case the attempt is treated as interrupted.
   */
  java.util.Optional<Handle> adopt(InstallRun run, Consumer<String> log, String executorState)
      throws ExecutorException;

  @Override
  default void close() {}

  /** A running attempt. */
  interface Handle {
    /** What a later gateway process needs to re-adopt it (a pid, a Job name), kept in status. */
    String state();

    /** The outcome once finished, else null. */
    Outcome poll();

    /** Stops the attempt (timeout, shutdown); idempotent. */
    void cancel();
  }

  record Outcome(boolean succeeded, String message) {}

  /** An executor failed to start or follow an attempt; the attempt fails with this message. */
  final class ExecutorException extends Exception {
    public ExecutorException(String message, Throwable cause) {
      super(message, cause);
    }

    public ExecutorException(String message) {
      super(message);
    }
  }
}
