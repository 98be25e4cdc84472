package io.division.core;

/**
 * The one root of every error core raises. {@link #reason()} is machine-readable, so each front end
 * maps errors to its own terms in exactly one place (the CLI to exit codes, the Jenkins plugin to
 * build results, the gateway to status). {@link #subject()} names what the error concerns: a
 * resource ({@code approval/a1 in default}), a file, or null. Messages never speak in any front
 * end's terms (no CLI flags); a front end adds its own hints.
 */
public class DivisionException extends RuntimeException {
  public enum Reason {
    /** A resource, kind, application or file that does not exist. */
    NOT_FOUND,
    ALREADY_EXISTS,
    /** A stale write: the resource changed since it was read. */
    CONFLICT,
    /** Bad input: a manifest, condition, selector, name, duration, configuration. */
    INVALID,
    /** A watch asked for changes the store no longer keeps: relist. */
    GONE,
    /** The store or another service could not be reached or is locked; retrying may help. */
    UNAVAILABLE,
    /** The caller may not do this (an approver not on the list, a denied AWS call). */
    FORBIDDEN,
    /** A wait or deploy ran out of time. */
    TIMEOUT,
    /** What was waited for failed: a fail-when condition held, an install failed. */
    FAILED,
    /** The caller cancelled a wait or deploy. */
    CANCELLED,
    /** A bug or an unexpected state. */
    INTERNAL
  }

  private final Reason reason;
  private final String subject;

  public DivisionException(Reason reason, String message) {
    this(reason, message, null, null);
  }

  public DivisionException(Reason reason, String message, String subject) {
    this(reason, message, subject, null);
  }

  public DivisionException(Reason reason, String message, String subject, Throwable cause) {
    super(message, cause);
    this.reason = reason;
    this.subject = subject;
  }

  public Reason reason() {
    return reason;
  }

  /** What the error concerns (a resource key's text, a file), or null. */
  public String subject() {
    return subject;
  }

  public boolean is(Reason r) {
    return reason == r;
  }

  public static DivisionException invalid(String message) {
    return new DivisionException(Reason.INVALID, message);
  }

  public static DivisionException invalid(String message, Throwable cause) {
    return new DivisionException(Reason.INVALID, message, null, cause);
  }

  public static DivisionException notFound(String message) {
    return new DivisionException(Reason.NOT_FOUND, message);
  }

  public static DivisionException forbidden(String message) {
    return new DivisionException(Reason.FORBIDDEN, message);
  }
}
