package io.division.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.division.core.deploy.GatewayOptions;
import io.division.core.kind.BuiltinKinds;
import io.division.core.model.ResourceKey;
import io.division.core.store.Store;
import io.division.core.store.dynamodb.DynamoBackend;
import io.division.core.store.dynamodb.DynamoDbLocalExtension;
import io.division.core.store.dynamodb.DynamoDbLocalServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * An idle gateway on DynamoDB makes one pass per heartbeat: its own lease renewal, a write to the
 * Cluster that no pass reads, must not wake a second one (each pass reads every Deployment's
 * Release and scans the Installs, which DynamoDB bills).
 */
@ExtendWith(DynamoDbLocalExtension.class)
class GatewayIdlePassesTest {
  @TempDir Path dir;

  @Test
  void theLeaseRenewalDoesNotWakeAnotherPass(DynamoDbLocalServer server) throws Exception {
    ResourceKey cluster = new ResourceKey(BuiltinKinds.CLUSTER, "", "c1");
    GatewayOptions options =
        GatewayOptions.builder("c1")
            .heartbeatEvery(Duration.ofMillis(200))
            .resyncEvery(Duration.ofHours(1))
            .build();
    try (Store store =
            new Store(DynamoBackend.open(server.settings(DynamoDbLocalServer.uniquePrefix())));
        GatewayDaemon gateway =
            GatewayDaemon.builder()
                .store(store)
                .options(options)
                .executor(
                    ProcessExecutor.builder()
                        .command(List.of("true"))
                        .workingDir(dir)
                        .stateDir(dir.resolve("gateway-state"))
                        .build())
                .build()
                .start()) {
      await().atMost(Duration.ofSeconds(30)).until(gateway::leading);
      // Versions of a kind are dense on DynamoDB, and only the lease writes Clusters here: the
      // Cluster's version counts the renewals.
      long renewalsBefore = version(store, cluster);
      long passesBefore = gateway.passes();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> version(store, cluster) >= renewalsBefore + 6);
      long passes = gateway.passes() - passesBefore;
      long renewals = version(store, cluster) - renewalsBefore;

      // One pass per renewal, give or take the one under way at either end; a pass woken by each
      // renewal would make about twice as many.
      assertThat(passes).isBetween(renewals - 2, renewals + 1);
    }
  }

  private static long version(Store store, ResourceKey key) {
    return Long.parseLong(store.get(key).metadata().resourceVersion());
  }
}
