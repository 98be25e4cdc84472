package io.division.core.deploy;

import io.division.core.DivisionException;
import java.time.Duration;
import java.util.Objects;

/**
 * A gateway's own configuration, set by its cluster's admins: which cluster it serves, which
 * project and namespace it limits itself to (null: all), and its timings. Built with {@link
 * #builder(String)}.
 */
public record GatewayOptions(
    String cluster,
    String project,
    String namespace,
    Duration installTimeout,
    Duration heartbeatEvery,
    Duration resyncEvery) {

  public GatewayOptions {
    cluster = DeployNames.resourceName("--cluster", cluster);
    if (project != null) project = DeployNames.resourceName("--project", project);
    Objects.requireNonNull(installTimeout, "installTimeout");
    Objects.requireNonNull(heartbeatEvery, "heartbeatEvery");
    Objects.requireNonNull(resyncEvery, "resyncEvery");
    if (installTimeout.isNegative() || installTimeout.isZero())
      throw DivisionException.invalid("the install timeout must be positive");
    if (heartbeatEvery.isNegative() || heartbeatEvery.isZero())
      throw DivisionException.invalid("the heartbeat interval must be positive");
    if (resyncEvery.isNegative() || resyncEvery.isZero())
      throw DivisionException.invalid("the resync interval must be positive");
  }

  /** The defaults for a cluster: 30 minute installs, a 5 s heartbeat, a 30 s resync. */
  public static GatewayOptions of(String cluster) {
    return builder(cluster).build();
  }

  public static Builder builder(String cluster) {
    return new Builder(cluster);
  }

  /** How long the cluster lease lasts after a renewal: three heartbeats. */
  public Duration leaseDuration() {
    return heartbeatEvery.multipliedBy(3);
  }

  public static final class Builder {
    private final String cluster;
    private String project;
    private String namespace;
    private Duration installTimeout = Duration.ofMinutes(30);
    private Duration heartbeatEvery = Duration.ofSeconds(5);
    private Duration resyncEvery = Duration.ofSeconds(30);

    private Builder(String cluster) {
      this.cluster = cluster;
    }

    /** Serve only this project's deployments (null: all). */
    public Builder project(String project) {
      this.project = project;
      return this;
    }

    /** Serve only this namespace (null: all). */
    public Builder namespace(String namespace) {
      this.namespace = namespace;
      return this;
    }

    public Builder installTimeout(Duration installTimeout) {
      this.installTimeout = installTimeout;
      return this;
    }

    /** The lease lasts three heartbeats: a crashed gateway's successor takes over after that. */
    public Builder heartbeatEvery(Duration heartbeatEvery) {
      this.heartbeatEvery = heartbeatEvery;
      return this;
    }

    public Builder resyncEvery(Duration resyncEvery) {
      this.resyncEvery = resyncEvery;
      return this;
    }

    public GatewayOptions build() {
      return new GatewayOptions(
          cluster, project, namespace, installTimeout, heartbeatEvery, resyncEvery);
    }
  }
}
