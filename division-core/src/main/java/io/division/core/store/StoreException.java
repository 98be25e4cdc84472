package io.division.core.store;

import io.division.core.DivisionException;
import io.division.core.model.ResourceKey;

/**
 * The store's errors, in the one {@link DivisionException} family; {@link #key()} is the resource
 * the error is about, when it is about one. Reasons match Kubernetes' status reasons.
 */
public class StoreException extends DivisionException {
  private final ResourceKey key;

  public StoreException(Reason reason, String message) {
    this(reason, message, (ResourceKey) null);
  }

  public StoreException(Reason reason, String message, ResourceKey key) {
    super(reason, message, key == null ? null : key.toString());
    this.key = key;
  }

  public StoreException(Reason reason, String message, Throwable cause) {
    super(reason, message, null, cause);
    this.key = null;
  }

  /** The resource the error is about, when it is about one. */
  public ResourceKey key() {
    return key;
  }

  public static StoreException notFound(ResourceKey key) {
    return new StoreException(Reason.NOT_FOUND, key + " not found", key);
  }

  public static StoreException alreadyExists(ResourceKey key) {
    return new StoreException(Reason.ALREADY_EXISTS, key + " already exists", key);
  }

  /** Kubernetes' wording, which users of kubectl know how to act on. */
  public static StoreException conflict(ResourceKey key) {
    return new StoreException(
        Reason.CONFLICT,
        "Operation cannot be fulfilled on "
            + key
            + ": the object has been modified; please apply your changes to the latest version and"
            + " try again",
        key);
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

  /**
   * A stored object that cannot be read back (a damaged row, a body that is not a resource): named
   * by kind and name so that it can be deleted or restored, without stopping reads of the others.
   */
  public static StoreException damaged(ResourceKey key, String problem) {
    return new StoreException(
        Reason.INTERNAL,
        key
            + (key.namespace() == null || key.namespace().isEmpty()
                ? ""
                : " in namespace " + key.namespace())
            + " is damaged in the store and cannot be read: "
            + io.division.core.model.Messages.oneLine(problem)
            + "; delete it or restore it from a backup",
        key);
  }

  public static StoreException unavailable(String message, Throwable cause) {
    return new StoreException(Reason.UNAVAILABLE, message, cause);
  }
}
