package io.division.jenkins;

import hudson.AbortException;
import io.division.core.DivisionException;

/**
 * How a Division step fails a build: one line naming what went wrong (Jenkins prints an
 * AbortException's message without a stack trace), with core's reason ({@code TIMEOUT}, {@code
 * FAILED}, {@code FORBIDDEN}, ...) for scripts that catch it and look.
 */
public final class DivisionStepException extends AbortException {
  private static final long serialVersionUID = 1L;

  private final String reason;

  public DivisionStepException(String reason, String message) {
    super(message);
    this.reason = reason;
  }

  public static DivisionStepException of(String step, DivisionException e) {
    return new DivisionStepException(e.reason().name(), step + ": " + e.getMessage());
  }

  /** Core's {@link DivisionException.Reason} name. */
  public String getReason() {
    return reason;
  }
}
