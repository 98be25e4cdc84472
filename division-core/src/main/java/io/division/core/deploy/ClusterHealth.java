package io.division.core.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.division.core.model.Resource;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;

/**
 * Whether a cluster's gateway is alive, read from its Cluster resource: the leading gateway writes
 * {@code status.lastHeartbeat} and {@code status.leaseUntil} on every heartbeat, so a cluster is
 * READY while its lease has not run out, and STALE once it has (no gateway renewed it in time, or
 * the last one released it on shutdown). A Cluster no gateway ever wrote is UNKNOWN.
 *
 * @param state READY, STALE or UNKNOWN
 * @param sinceHeartbeat how long ago the last heartbeat was written; null when never
 */
public record ClusterHealth(State state, Duration sinceHeartbeat) {
  public enum State {
    READY,
    STALE,
    UNKNOWN
  }

  public ClusterHealth {
    Objects.requireNonNull(state, "state");
  }

  public static ClusterHealth of(Resource cluster, Instant now) {
    JsonNode status = cluster.status();
    Instant beat = instant(status, "lastHeartbeat");
    if (beat == null) return new ClusterHealth(State.UNKNOWN, null);
    Duration since = Duration.between(beat, now);
    Instant until = instant(status, "leaseUntil");
    // A gateway older than the lease fields: fall back to three default heartbeats.
    if (until == null) until = beat.plus(Duration.ofSeconds(15));
    return new ClusterHealth(now.isBefore(until) ? State.READY : State.STALE, since);
  }

  private static Instant instant(JsonNode status, String field) {
    if (status == null || !status.path(field).isTextual()) return null;
    try {
      return Instant.parse(status.path(field).asText());
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
