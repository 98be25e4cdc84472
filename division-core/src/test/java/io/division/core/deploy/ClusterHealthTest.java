package io.division.core.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.division.core.kind.BuiltinKinds;
import io.division.core.model.Json;
import io.division.core.model.ObjectMeta;
import io.division.core.model.Resource;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ClusterHealthTest {
  static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

  static Resource cluster(String lastHeartbeat, String leaseUntil) {
    var status = Json.object();
    if (lastHeartbeat != null) status.put("lastHeartbeat", lastHeartbeat);
    if (leaseUntil != null) status.put("leaseUntil", leaseUntil);
    return new Resource(
        null, BuiltinKinds.CLUSTER, ObjectMeta.named("prod", ""), Json.object(), status);
  }

  @Test
  void readyWhileTheLeaseRunsAndStaleOnceItHasRunOut() {
    ClusterHealth ready =
        ClusterHealth.of(cluster("2026-11-30T11:59:57Z", "2026-11-30T12:00:12Z"), NOW);
    assertThat(ready.state()).isEqualTo(ClusterHealth.State.READY);
    assertThat(ready.sinceHeartbeat()).isEqualTo(Duration.ofSeconds(3));

    ClusterHealth stale =
        ClusterHealth.of(cluster("2026-11-30T11:58:00Z", "2026-11-30T11:58:15Z"), NOW);
    assertThat(stale.state()).isEqualTo(ClusterHealth.State.STALE);
    assertThat(stale.sinceHeartbeat()).isEqualTo(Duration.ofMinutes(2));
  }

  @Test
  void aReleasedLeaseIsStaleAtOnce() {
    // On shutdown the leader sets leaseUntil to now, so a standby need not wait for it.
    assertThat(
            ClusterHealth.of(cluster("2026-11-30T11:59:59Z", "2026-11-30T11:59:59Z"), NOW).state())
        .isEqualTo(ClusterHealth.State.STALE);
  }

  @Test
  void noHeartbeatIsUnknownAndAMissingLeaseFallsBackToThreeDefaultHeartbeats() {
    assertThat(ClusterHealth.of(cluster(null, null), NOW).state())
        .isEqualTo(ClusterHealth.State.UNKNOWN);
    assertThat(ClusterHealth.of(cluster("not a time", null), NOW).state())
        .isEqualTo(ClusterHealth.State.UNKNOWN);
    assertThat(ClusterHealth.of(cluster("2026-11-30T11:59:50Z", null), NOW).state())
        .isEqualTo(ClusterHealth.State.READY);
    assertThat(ClusterHealth.of(cluster("2026-11-30T11:59:40Z", null), NOW).state())
        .isEqualTo(ClusterHealth.State.STALE);
  }
}
