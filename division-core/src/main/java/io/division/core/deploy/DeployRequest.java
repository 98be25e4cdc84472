package io.division.core.deploy;

import java.time.Duration;
import java.util.List;

/**
 * What {@code div deploy} asks for. Empty {@code apps}: every Application of the project; empty
 * {@code clusters}: every cluster whose gateway heartbeat is fresher than {@code clusterFreshness}.
 */
public record DeployRequest(
    String project,
    List<String> apps,
    String ref,
    List<String> clusters,
    String namespace,
    Duration timeout,
    boolean noWait,
    boolean force,
    Duration clusterFreshness) {

  public DeployRequest {
    apps = List.copyOf(apps);
    clusters = List.copyOf(clusters);
  }
}
