package io.division.core.deploy.status;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.division.core.DivisionException;
import io.division.core.deploy.DeployNames;
import io.division.core.model.Json;
import io.division.core.model.Resource;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A Deployment's spec: what CI asks of every targeted cluster's gateway. {@code request} is the id
 * of this very ask (a new one per {@code div deploy}), so a gateway answers each ask once and a
 * tracker never mistakes an older answer for its own. {@code clusters} empty means every cluster. A
 * request that is {@code cancelled}, or whose {@code deadline} has passed, is withdrawn: no gateway
 * starts it any more, until a new request asks again.
 */
public record DeploymentSpec(
    String project,
    String app,
    String ref,
    String request,
    boolean force,
    List<String> clusters,
    Instant deadline,
    boolean cancelled) {

  public DeploymentSpec {
    app = DeployNames.resourceName("app", app);
    ref = DeployNames.validateRef(ref);
    if (request == null || request.isBlank())
      throw DivisionException.invalid("request is required");
    clusters = List.copyOf(clusters == null ? List.of() : clusters);
    for (String c : clusters) DeployNames.resourceName("cluster", c);
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder()
        .project(project)
        .app(app)
        .ref(ref)
        .request(request)
        .force(force)
        .clusters(clusters)
        .deadline(deadline)
        .cancelled(cancelled);
  }

  /**
   * Reads a Deployment's spec. {@code app} defaults to the Deployment's name and {@code request} to
   * its generation, for Deployments written by hand with {@code apply}.
   */
  public static DeploymentSpec from(Resource deployment) {
    Fields f = Fields.spec(deployment);
    String app = f.text("app");
    String request = f.text("request");
    Long generation = deployment.metadata().generation();
    Builder b =
        builder()
            .project(f.text("project"))
            .app(app == null ? deployment.name() : app)
            .ref(f.requiredText("ref"))
            .request(
                request != null ? request : "generation-" + (generation == null ? 0 : generation))
            .force(f.bool("force"))
            .clusters(f.texts("clusters"))
            .deadline(f.instant("deadline"))
            .cancelled(f.bool("cancelled"));
    try {
      return b.build();
    } catch (DivisionException e) {
      throw f.invalid(e);
    }
  }

  /** Whether the gateway of {@code cluster} is asked. */
  public boolean targets(String cluster) {
    return clusters.isEmpty() || clusters.contains(cluster);
  }

  /** Cancelled, or past its deadline: no gateway may start it any more. */
  public boolean withdrawn(Instant now) {
    return cancelled || expired(now);
  }

  public boolean expired(Instant now) {
    return deadline != null && !now.isBefore(deadline);
  }

  /** Why a gateway does not start this request, or null if it may. */
  public String withdrawnBecause(Instant now) {
    if (cancelled) return "the deploy of " + ref + " was cancelled";
    if (expired(now)) return "the deploy of " + ref + " passed its deadline " + deadline;
    return null;
  }

  public ObjectNode toJson() {
    ObjectNode o = Json.object();
    Fields.put(o, "project", project);
    o.put("app", app).put("ref", ref).put("request", request);
    if (force) o.put("force", true);
    if (!clusters.isEmpty()) clusters.forEach(o.putArray("clusters")::add);
    Fields.put(o, "deadline", deadline);
    if (cancelled) o.put("cancelled", true);
    return o;
  }

  public static final class Builder {
    private String project;
    private String app;
    private String ref;
    private String request;
    private boolean force;
    private List<String> clusters = List.of();
    private Instant deadline;
    private boolean cancelled;

    private Builder() {}

    public Builder project(String v) {
      project = v;
      return this;
    }

    public Builder app(String v) {
      app = v;
      return this;
    }

    public Builder ref(String v) {
      ref = v;
      return this;
    }

    public Builder request(String v) {
      request = v;
      return this;
    }

    public Builder force(boolean v) {
      force = v;
      return this;
    }

    public Builder clusters(List<String> v) {
      clusters = Objects.requireNonNullElse(v, List.of());
      return this;
    }

    public Builder deadline(Instant v) {
      deadline = v;
      return this;
    }

    public Builder cancelled(boolean v) {
      cancelled = v;
      return this;
    }

    public DeploymentSpec build() {
      return new DeploymentSpec(project, app, ref, request, force, clusters, deadline, cancelled);
    }
  }
}
