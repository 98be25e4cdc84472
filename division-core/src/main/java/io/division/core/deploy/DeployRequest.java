package io.division.core.deploy;

import io.division.core.DivisionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a deploy asks for. Empty {@code apps}: every Application of the project; empty {@code
 * clusters}: every cluster whose gateway heartbeat is fresher than {@code clusterFreshness}. {@code
 * timeout} sets the deploy's deadline, which also bounds when a gateway may still start it.
 */
public record DeployRequest(
    String project,
    List<String> apps,
    String ref,
    List<String> clusters,
    String namespace,
    Duration timeout,
    boolean force,
    Duration clusterFreshness) {

  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(30);
  public static final Duration DEFAULT_FRESHNESS = Duration.ofMinutes(1);

  public DeployRequest {
    apps = List.copyOf(apps);
    clusters = List.copyOf(clusters);
    Objects.requireNonNull(namespace, "namespace");
    if (timeout == null || timeout.isNegative() || timeout.isZero())
      throw DivisionException.invalid("a deploy's timeout must be positive");
    if (clusterFreshness == null || clusterFreshness.isNegative() || clusterFreshness.isZero())
      throw DivisionException.invalid("the cluster freshness must be positive");
  }

  public static Builder builder() {
    return new Builder();
  }

  public static final class Builder {
    private String project;
    private final List<String> apps = new ArrayList<>();
    private String ref;
    private final List<String> clusters = new ArrayList<>();
    private String namespace = "default";
    private Duration timeout = DEFAULT_TIMEOUT;
    private boolean force;
    private Duration clusterFreshness = DEFAULT_FRESHNESS;

    private Builder() {}

    public Builder project(String v) {
      project = v;
      return this;
    }

    /** Adds an application (repeatable). */
    public Builder app(String v) {
      apps.add(v);
      return this;
    }

    public Builder apps(List<String> v) {
      apps.addAll(v);
      return this;
    }

    public Builder ref(String v) {
      ref = v;
      return this;
    }

    /** Adds a target cluster (repeatable). */
    public Builder cluster(String v) {
      clusters.add(v);
      return this;
    }

    public Builder clusters(List<String> v) {
      clusters.addAll(v);
      return this;
    }

    public Builder namespace(String v) {
      namespace = v;
      return this;
    }

    public Builder timeout(Duration v) {
      timeout = v;
      return this;
    }

    public Builder force(boolean v) {
      force = v;
      return this;
    }

    public Builder clusterFreshness(Duration v) {
      clusterFreshness = v;
      return this;
    }

    public DeployRequest build() {
      return new DeployRequest(
          project, apps, ref, clusters, namespace, timeout, force, clusterFreshness);
    }
  }
}
