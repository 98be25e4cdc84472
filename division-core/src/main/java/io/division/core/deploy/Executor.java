package io.division.core.deploy;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * Runs installs. What runs comes only from the gateway's configuration; the store supplies only the
 * validated values of an {@link InstallRun}. An executor finds the attempts it started by its own
 * records (a Job named after the attempt, a state directory), never by what the store says.
 */
public interface Executor extends AutoCloseable {
  /** For Cluster status and messages: {@code process}, {@code kubernetes}, {@code brigade}. */
  String name();

  /**
   * Starts the attempt, or follows it when it was started already (a gateway that stopped right
   * after starting it). Output lines go to {@code log}; the handle reports the outcome.
   */
  Handle start(InstallRun run, Consumer<String> log) throws ExecutorException;

  /**
   * Takes over an attempt that an earlier gateway process started (it crashed, or lost the lease):
   * a handle that follows it, running or finished, or why its outcome cannot be known.
   */
  Adoption adopt(InstallRun run, Consumer<String> log) throws ExecutorException;

  @Override
  default void close() {}

  /** A running attempt. */
  interface Handle {
    /** For people reading the Install's status (a process group, a Job name); never read back. */
    String state();

    /** The outcome once the attempt has ended, else null. */
    Outcome poll();

    /**
     * Asks the attempt to stop (timeout); idempotent. It has not necessarily stopped yet: {@link
     * #poll()} reports the outcome once it has.
     */
    void cancel();

    /** The outcome is recorded in the store: the executor may drop its own record of it. */
    default void forget() {}
  }

  /** What {@link #adopt} found: a handle to follow, or the reason the outcome is unknown. */
  record Adoption(Handle handle, String unknownReason) {
    public Adoption {
      if ((handle == null) == (unknownReason == null))
        throw new IllegalArgumentException("either a handle or a reason");
    }

    public static Adoption followed(Handle handle) {
      return new Adoption(Objects.requireNonNull(handle), null);
    }

    public static Adoption unknown(String reason) {
      return new Adoption(null, Objects.requireNonNull(reason));
    }

    public boolean known() {
      return handle != null;
    }
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
