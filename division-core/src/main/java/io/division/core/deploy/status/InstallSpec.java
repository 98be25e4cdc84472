package io.division.core.deploy.status;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.division.core.DivisionException;
import io.division.core.deploy.DeployNames;
import io.division.core.model.Json;
import io.division.core.model.Resource;
import java.time.Instant;

/**
 * An Install's spec: one application at one ref on one cluster. {@code attempt} counts the runs (a
 * retry or a forced re-run is a new attempt); {@code request} is the Deployment request the current
 * attempt serves, and {@code deadline} that request's deadline, past which the attempt is not
 * started.
 */
public record InstallSpec(
    String project,
    String app,
    String cluster,
    String ref,
    String request,
    int attempt,
    Instant deadline) {

  public InstallSpec {
    app = DeployNames.resourceName("app", app);
    cluster = DeployNames.resourceName("cluster", cluster);
    ref = DeployNames.validateRef(ref);
    if (attempt < 1) throw DivisionException.invalid("attempt must be at least 1, not " + attempt);
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder()
        .project(project)
        .app(app)
        .cluster(cluster)
        .ref(ref)
        .request(request)
        .attempt(attempt)
        .deadline(deadline);
  }

  public static InstallSpec from(Resource install) {
    Fields f = Fields.spec(install);
    if (!f.present()) throw f.invalid("app", "is required (the Install has no spec)");
    Builder b =
        builder()
            .project(f.text("project"))
            .app(f.requiredText("app"))
            .cluster(f.requiredText("cluster"))
            .ref(f.requiredText("ref"))
            .request(f.text("request"))
            .attempt(f.positive("attempt", 1))
            .deadline(f.instant("deadline"));
    try {
      return b.build();
    } catch (DivisionException e) {
      throw f.invalid(e);
    }
  }

  /** The cluster an Install belongs to, read without validating the rest of it. */
  public static String clusterOf(Resource install) {
    if (install.spec() == null || !install.spec().path("cluster").isTextual()) return null;
    return install.spec().get("cluster").asText();
  }

  public ObjectNode toJson() {
    ObjectNode o = Json.object();
    Fields.put(o, "project", project);
    o.put("app", app).put("cluster", cluster).put("ref", ref);
    Fields.put(o, "request", request);
    o.put("attempt", attempt);
    Fields.put(o, "deadline", deadline);
    return o;
  }

  public static final class Builder {
    private String project;
    private String app;
    private String cluster;
    private String ref;
    private String request;
    private int attempt = 1;
    private Instant deadline;

    private Builder() {}

    public Builder project(String v) {
      project = v;
      return this;
    }

    public Builder app(String v) {
      app = v;
      return this;
    }

    public Builder cluster(String v) {
      cluster = v;
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

    public Builder attempt(int v) {
      attempt = v;
      return this;
    }

    public Builder deadline(Instant v) {
      deadline = v;
      return this;
    }

    public InstallSpec build() {
      return new InstallSpec(project, app, cluster, ref, request, attempt, deadline);
    }
  }
}
