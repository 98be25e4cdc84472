package io.division.core.wait;

import io.division.core.DivisionException;
import io.division.core.model.Resource;
import java.util.Objects;

/**
 * Where a wait stands after a check or at its end.
 *
 * @param state the outcome; only {@link State#NOT_YET} is not an end
 * @param resource the resource as last seen (null when it was never seen or is gone)
 * @param message what happened, in words, for every state but MET and NOT_YET
 * @param spec the spec advanced to the last resourceVersion seen: persist it to resume
 */
public record WaitStatus(State state, Resource resource, String message, WaitSpec spec) {
  public enum State {
    /** Every condition holds (for a delete wait: the resource is gone; create: it exists). */
    MET,
    /** A fail-when condition held; the message names it. */
    FAILED,
    /** The resource was deleted while waiting for something else. */
    DELETED,
    /** The deadline passed. */
    TIMED_OUT,
    /** Nothing decided yet: check again later. */
    NOT_YET,
    /** The caller cancelled the wait. */
    CANCELLED
  }

  public WaitStatus {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(spec, "spec");
  }

  /** True for every state but NOT_YET. */
  public boolean ended() {
    return state != State.NOT_YET;
  }

  /**
   * The error this end is for a caller that treats anything but MET as a failure (a pipeline step,
   * a command's exit code), or null for MET and NOT_YET.
   */
  public DivisionException failure() {
    DivisionException.Reason reason =
        switch (state) {
          case MET, NOT_YET -> null;
          case FAILED -> DivisionException.Reason.FAILED;
          case DELETED -> DivisionException.Reason.NOT_FOUND;
          case TIMED_OUT -> DivisionException.Reason.TIMEOUT;
          case CANCELLED -> DivisionException.Reason.CANCELLED;
        };
    return reason == null ? null : new DivisionException(reason, message, spec.key().toString());
  }

  static WaitStatus notYet(WaitSpec spec, Resource last) {
    return new WaitStatus(State.NOT_YET, last, null, spec);
  }

  static WaitStatus met(WaitSpec spec, Resource r) {
    return new WaitStatus(State.MET, r, null, spec);
  }

  static WaitStatus failed(WaitSpec spec, Resource r, String what) {
    return new WaitStatus(
        State.FAILED, r, spec.key() + " met the failure condition: " + what, spec);
  }

  static WaitStatus deleted(WaitSpec spec, Resource last) {
    return new WaitStatus(
        State.DELETED,
        last,
        spec.key() + " was deleted while waiting for " + conditions(spec),
        spec);
  }

  static WaitStatus timedOut(WaitSpec spec, Resource last) {
    String after =
        spec.timeout() == null
            ? ""
            : " after " + io.division.core.time.Durations.format(spec.timeout());
    return new WaitStatus(
        State.TIMED_OUT,
        last,
        "timed out" + after + " waiting for " + spec.describe() + notCounted(last),
        spec);
  }

  /** An approval's decisions that did not count, and why: what a waiter needs to act on. */
  private static String notCounted(Resource last) {
    if (last == null || last.status() == null || !last.status().path("verification").isArray()) {
      return "";
    }
    java.util.List<String> notes = new java.util.ArrayList<>();
    last.status().get("verification").forEach(n -> notes.add(n.asText()));
    return notes.isEmpty() ? "" : " (" + String.join("; ", notes) + ")";
  }

  static WaitStatus cancelled(WaitSpec spec, Resource last, String why) {
    return new WaitStatus(
        State.CANCELLED,
        last,
        (why == null ? "cancelled" : why) + " while waiting for " + spec.describe(),
        spec);
  }

  private static String conditions(WaitSpec spec) {
    String d = spec.describe();
    String prefix = spec.key() + ": ";
    return d.startsWith(prefix) ? d.substring(prefix.length()) : d;
  }
}
