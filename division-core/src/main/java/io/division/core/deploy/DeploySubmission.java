package io.division.core.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.division.core.DivisionException;
import io.division.core.model.Json;
import java.io.Serializable;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A submitted deploy, as data: what was asked (one target per application and cluster, each with
 * the request id written into its Deployment), until when, and how far each target has been
 * followed (the Install attempt it waits on, the last log line delivered, and how it ended). It is
 * all a caller keeps between {@link Deployer#advance} calls: persist the one each call returns
 * (Java serialization or {@link #toJson()}), and a new process with a freshly opened store carries
 * on from it, without repeating or losing a log line.
 */
public record DeploySubmission(
    String project,
    String namespace,
    String ref,
    Instant submittedAt,
    Instant deadline,
    List<Target> targets)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  public DeploySubmission {
    Objects.requireNonNull(namespace, "namespace");
    DeployNames.validateRef(ref);
    Objects.requireNonNull(submittedAt, "submittedAt");
    Objects.requireNonNull(deadline, "deadline");
    targets = List.copyOf(targets);
    if (targets.isEmpty()) throw DivisionException.invalid("a deploy submission needs a target");
  }

  /**
   * One application on one cluster and how far it has been followed. {@code install} and {@code
   * attempt} are known once the cluster's gateway answered; {@code logPosition} is the sequence
   * number of the last log line delivered (null: not following the log yet); {@code ended} is set
   * once the target's outcome is final.
   */
  public record Target(
      String app,
      String cluster,
      String request,
      String install,
      int attempt,
      Long logPosition,
      boolean nudged,
      Ended ended)
      implements Serializable {
    private static final long serialVersionUID = 1L;

    public Target {
      DeployNames.resourceName("app", app);
      DeployNames.resourceName("cluster", cluster);
      if (request == null || request.isBlank())
        throw DivisionException.invalid("request is required");
      if (attempt < 0) throw DivisionException.invalid("attempt must not be negative");
    }

    /** A target no gateway has answered yet. */
    public static Target waiting(String app, String cluster, String request) {
      return new Target(app, cluster, request, null, 0, null, false, null);
    }

    public boolean done() {
      return ended != null;
    }

    Builder toBuilder() {
      return new Builder(this);
    }

    /** Mutable while one pass of {@link Deployer#advance} works on a target. */
    static final class Builder {
      final String app;
      final String cluster;
      final String request;
      String install;
      int attempt;
      Long logPosition;
      boolean nudged;
      Ended ended;

      Builder(Target t) {
        app = t.app;
        cluster = t.cluster;
        request = t.request;
        install = t.install;
        attempt = t.attempt;
        logPosition = t.logPosition;
        nudged = t.nudged;
        ended = t.ended;
      }

      Target build() {
        return new Target(app, cluster, request, install, attempt, logPosition, nudged, ended);
      }
    }
  }

  /** How a target ended: its final phase (Succeeded, Failed, Cancelled, Superseded) and why. */
  public record Ended(String phase, String message, boolean succeeded) implements Serializable {
    private static final long serialVersionUID = 1L;

    public Ended {
      Objects.requireNonNull(phase, "phase");
    }
  }

  public DeploySubmission withTargets(List<Target> advanced) {
    return new DeploySubmission(project, namespace, ref, submittedAt, deadline, advanced);
  }

  public ObjectNode toJson() {
    ObjectNode o = Json.object();
    if (project != null) o.put("project", project);
    o.put("namespace", namespace)
        .put("ref", ref)
        .put("submittedAt", submittedAt.toString())
        .put("deadline", deadline.toString());
    ArrayNode list = o.putArray("targets");
    for (Target t : targets) {
      ObjectNode n = list.addObject();
      n.put("app", t.app).put("cluster", t.cluster).put("request", t.request);
      if (t.install != null) n.put("install", t.install);
      if (t.attempt > 0) n.put("attempt", t.attempt);
      if (t.logPosition != null) n.put("logPosition", t.logPosition);
      if (t.nudged) n.put("nudged", true);
      if (t.ended != null) {
        ObjectNode e = n.putObject("ended");
        e.put("phase", t.ended.phase).put("succeeded", t.ended.succeeded);
        if (t.ended.message != null) e.put("message", t.ended.message);
      }
    }
    return o;
  }

  /** Reads what {@link #toJson()} wrote; anything else is INVALID, naming the field. */
  public static DeploySubmission fromJson(JsonNode node) {
    if (node == null || !node.isObject())
      throw DivisionException.invalid("a deploy submission must be a JSON object");
    try {
      List<Target> targets = new ArrayList<>();
      JsonNode list = node.get("targets");
      if (list == null || !list.isArray())
        throw DivisionException.invalid("targets must be a list");
      for (int i = 0; i < list.size(); i++) {
        JsonNode n = list.get(i);
        String at = "targets[" + i + "].";
        JsonNode ended = n.get("ended");
        targets.add(
            new Target(
                text(n, at + "app", "app", true),
                text(n, at + "cluster", "cluster", true),
                text(n, at + "request", "request", true),
                text(n, at + "install", "install", false),
                n.has("attempt") ? whole(n, at + "attempt", "attempt").intValue() : 0,
                n.has("logPosition") ? whole(n, at + "logPosition", "logPosition") : null,
                n.path("nudged").asBoolean(false),
                ended == null || ended.isNull()
                    ? null
                    : new Ended(
                        text(ended, at + "ended.phase", "phase", true),
                        text(ended, at + "ended.message", "message", false),
                        ended.path("succeeded").asBoolean(false))));
      }
      return new DeploySubmission(
          text(node, "project", "project", false),
          text(node, "namespace", "namespace", true),
          text(node, "ref", "ref", true),
          instant(node, "submittedAt"),
          instant(node, "deadline"),
          targets);
    } catch (DivisionException e) {
      throw new DivisionException(
          DivisionException.Reason.INVALID,
          "deploy submission: " + e.getMessage(),
          "deploy submission",
          e);
    }
  }

  private static String text(JsonNode n, String path, String field, boolean required) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      if (required) throw DivisionException.invalid(path + " is required");
      return null;
    }
    if (!v.isTextual()) throw DivisionException.invalid(path + " must be a string, not " + v);
    return v.asText();
  }

  private static Long whole(JsonNode n, String path, String field) {
    JsonNode v = n.get(field);
    if (!v.isIntegralNumber()) throw DivisionException.invalid(path + " must be a whole number");
    return v.asLong();
  }

  private static Instant instant(JsonNode n, String field) {
    String v = text(n, field, field, true);
    try {
      return Instant.parse(v);
    } catch (DateTimeParseException e) {
      throw DivisionException.invalid(field + " must be a timestamp, not \"" + v + "\"");
    }
  }
}
