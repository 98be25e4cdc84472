package io.division.cli;

import io.division.core.DivisionException;

/** div's exit codes, documented in README.md. */
public final class ExitCodes {
  public static final int OK = 0;

  /** Any error: bad input, not found, conflict, store unavailable. */
  public static final int ERROR = 1;

  /** The command line itself was wrong. */
  public static final int USAGE = 2;

  /** {@code div wait} or {@code div deploy} ran out of time. */
  public static final int TIMEOUT = 3;

  /** A {@code --fail-when} condition held, or a deploy failed. */
  public static final int FAILED = 4;

  /**
   * Ctrl-C or SIGTERM ended a wait or a deploy before it finished (128 + SIGINT, as shells report
   * it).
   */
  public static final int INTERRUPTED = 130;

  /** SIGTERM, what CI systems send on cancel (128 + 15). */
  public static final int TERMINATED = 143;

  private ExitCodes() {}

  /** The one mapping from core's error reasons to exit codes. */
  public static int of(DivisionException.Reason reason) {
    return switch (reason) {
      case TIMEOUT -> TIMEOUT;
      case FAILED -> FAILED;
      case CANCELLED -> INTERRUPTED;
      default -> ERROR;
    };
  }
}
