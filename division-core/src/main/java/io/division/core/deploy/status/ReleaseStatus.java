package io.division.core.deploy.status;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.division.core.DivisionException;
import io.division.core.model.Json;
import io.division.core.model.Resource;
import java.time.Instant;
import java.util.Objects;

/**
 * A Release's status: how one cluster's gateway answered one Deployment request. {@code install}
 * and {@code attempt} name the Install attempt that carries it out (none when rejected or
 * withdrawn).
 */
public record ReleaseStatus(
    String ref,
    String request,
    String install,
    int attempt,
    Outcome outcome,
    String message,
    Instant updatedAt) {

  /** How the gateway answered the request. */
  public enum Outcome {
    /** A new Install or a new attempt of it was created for this request. */
    STARTED("Started"),
    /** The ref was being installed already; this request follows that attempt. */
    IN_PROGRESS("InProgress"),
    /** The ref had succeeded before and was not forced: nothing was run. */
    ALREADY_SUCCEEDED("AlreadySucceeded"),
    /** The Deployment cannot be acted on (a bad ref or name); {@code message} says why. */
    REJECTED("Rejected"),
    /** The request was cancelled or past its deadline before this gateway started it. */
    WITHDRAWN("Withdrawn");

    private final String wire;

    Outcome(String wire) {
      this.wire = wire;
    }

    public String wire() {
      return wire;
    }

    static Outcome parse(String text) {
      for (Outcome o : values()) if (o.wire.equals(text)) return o;
      return null;
    }
  }

  public ReleaseStatus {
    Objects.requireNonNull(outcome, "outcome");
    request = request == null ? "" : request;
    if (attempt < 0) throw DivisionException.invalid("attempt must not be negative");
    if ((outcome == Outcome.STARTED || outcome == Outcome.IN_PROGRESS) && install == null)
      throw DivisionException.invalid("install is required when the outcome is " + outcome.wire);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The status of a Release, or null if the gateway has not written one. */
  public static ReleaseStatus from(Resource release) {
    Fields f = Fields.status(release);
    if (!f.present()) return null;
    String outcomeText = f.requiredText("outcome");
    Outcome outcome = Outcome.parse(outcomeText);
    if (outcome == null)
      throw f.invalid(
          "outcome",
          "must be one of Started, InProgress, AlreadySucceeded, Rejected, Withdrawn, not \""
              + outcomeText
              + "\"");
    Builder b =
        builder()
            .ref(f.text("ref"))
            .request(f.text("request"))
            .install(f.text("install"))
            .attempt(f.integer("attempt") == null ? 0 : f.integer("attempt"))
            .outcome(outcome)
            .message(f.text("message"))
            .updatedAt(f.instant("updatedAt"));
    try {
      return b.build();
    } catch (DivisionException e) {
      throw f.invalid(e);
    }
  }

  /** Whether this answers the request {@code id}. */
  public boolean answers(String id) {
    return request.equals(id);
  }

  public ObjectNode toJson() {
    ObjectNode o = Json.object();
    Fields.put(o, "ref", ref);
    o.put("request", request);
    Fields.put(o, "install", install);
    if (attempt > 0) o.put("attempt", attempt);
    o.put("outcome", outcome.wire);
    Fields.put(o, "message", message);
    Fields.put(o, "updatedAt", updatedAt);
    return o;
  }

  public static final class Builder {
    private String ref;
    private String request;
    private String install;
    private int attempt;
    private Outcome outcome;
    private String message;
    private Instant updatedAt;

    private Builder() {}

    public Builder ref(String v) {
      ref = v;
      return this;
    }

    public Builder request(String v) {
      request = v;
      return this;
    }

    public Builder install(String v) {
      install = v;
      return this;
    }

    public Builder attempt(int v) {
      attempt = v;
      return this;
    }

    public Builder outcome(Outcome v) {
      outcome = v;
      return this;
    }

    public Builder message(String v) {
      message = v;
      return this;
    }

    public Builder updatedAt(Instant v) {
      updatedAt = v;
      return this;
    }

    public ReleaseStatus build() {
      return new ReleaseStatus(ref, request, install, attempt, outcome, message, updatedAt);
    }
  }
}
