package io.division.core.wait;

import io.division.core.model.Resource;

/** How a wait ended. Built by the static factories; callers switch on {@link #status()}. */
public record WaitOutcome(Status status, Resource resource, String message) {
  public enum Status {
    /** Every condition holds (for a delete wait: the resource is gone). */
    MATCHED,
    /** A {@code --fail-when} condition held. */
    FAILED,
    /** The resource was deleted while waiting for something else. */
    DELETED,
    TIMED_OUT
  }

  static WaitOutcome matched(Resource r) {
    return new WaitOutcome(Status.MATCHED, r, null);
  }

  static WaitOutcome failed(Resource r, String message) {
    return new WaitOutcome(Status.FAILED, r, message);
  }

  static WaitOutcome deleted(Resource last, String message) {
    return new WaitOutcome(Status.DELETED, last, message);
  }

  static WaitOutcome timedOut(Resource last, String message) {
    return new WaitOutcome(Status.TIMED_OUT, last, message);
  }
}
