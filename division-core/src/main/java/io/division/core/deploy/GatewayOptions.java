package io.division.core.deploy;

import io.division.core.DivisionException;
import java.time.Duration;

/**
 * A gateway's own configuration, set by its cluster's admins: which cluster it serves, which
 * project it limits itself to (null: all), and its timings.
 */
public record GatewayOptions(
    String cluster,
    String project,
    String namespace,
    Duration installTimeout,
    Duration heartbeatEvery,
    Duration resyncEvery,
    int maxInterruptedRetries) {

  public GatewayOptions {
    cluster = DeployNames.resourceName("--cluster", cluster);
    if (project != null) project = DeployNames.resourceName("--project", project);
    if (installTimeout.isNegative() || installTimeout.isZero())
      throw DivisionException.invalid("the install timeout must be positive");
  }

  public static GatewayOptions of(String cluster) {
    return new GatewayOptions(
        cluster,
        null,
        null,
        Duration.ofMinutes(30),
        Duration.ofSeconds(5),
        Duration.ofSeconds(30),
        3);
  }

  public GatewayOptions withInstallTimeout(Duration d) {
    return new GatewayOptions(
        cluster, project, namespace, d, heartbeatEvery, resyncEvery, maxInterruptedRetries);
  }

  /** The lease lasts three heartbeats: a crashed gateway's successor takes over after that. */
  public GatewayOptions withHeartbeat(Duration d) {
    return new GatewayOptions(
        cluster, project, namespace, installTimeout, d, resyncEvery, maxInterruptedRetries);
  }

  public GatewayOptions withProject(String p) {
    return new GatewayOptions(
        cluster, p, namespace, installTimeout, heartbeatEvery, resyncEvery, maxInterruptedRetries);
  }

  public GatewayOptions withNamespace(String ns) {
    return new GatewayOptions(
        cluster, project, ns, installTimeout, heartbeatEvery, resyncEvery, maxInterruptedRetries);
  }
}
