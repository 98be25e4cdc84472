package io.division.core.store;

/**
 * The root of the store's errors. {@link #reason()} is machine-readable and matches Kubernetes'
 * status reasons, so that the CLI maps errors to exit codes in one place.
 */
public class StoreException extends RuntimeException {
  public enum Reason {
    NOT_FOUND,
    ALREADY_EXISTS,
    CONFLICT,
    INVALID,
    GONE,
    UNAVAILABLE,
    FORBIDDEN,
    INTERNAL
  }

  private final Reason reason;

  public StoreException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public StoreException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }

  public static StoreException notFound(Object what) {
    return new StoreException(Reason.NOT_FOUND, what + " not found");
  }

  public static StoreException alreadyExists(Object what) {
    return new StoreException(Reason.ALREADY_EXISTS, what + " already exists");
  }

  /** Kubernetes' wording, which users of kubectl know how to act on. */
  public static StoreException conflict(Object what) {
    return new StoreException(
        Reason.CONFLICT,
        "Operation cannot be fulfilled on "
            + what
            + ": the object has been modified; please apply your changes to the latest version and"
            + " try again");
  }

  public static StoreException invalid(String message) {
    return new StoreException(Reason.INVALID, message);
  }

  /** A watch asked for a version the store no longer keeps changes for: the caller must relist. */
  public static StoreException gone(String resourceVersion) {
    return new StoreException(
        Reason.GONE,
        "too old resource version: "
            + resourceVersion
            + " (the change log has been trimmed past it; relist and watch again)");
  }

  public static StoreException unavailable(String message, Throwable cause) {
    return new StoreException(Reason.UNAVAILABLE, message, cause);
  }

  public boolean is(Reason r) {
    return reason == r;
  }
}
