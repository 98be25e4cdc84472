package io.division.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.division.core.deploy.GatewayOptions;
import io.division.core.kind.BuiltinKinds;
import io.division.core.model.ResourceKey;
import io.division.core.store.Store;
import io.division.core.store.sqlite.SqliteBackend;
import io.division.core.store.sqlite.SqliteOptions;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store outage is waited out, not fatal: another process holds the database's write lock for
 * longer than the gateway's busy timeout and retries, then lets go.
 */
class GatewayOutageTest {
  @TempDir Path dir;

  @Test
  void aGatewayRidesOutAStoreOutageAndCarriesOnWhenTheStoreIsBack() throws Exception {
    Path db = dir.resolve("division.db");
    SqliteOptions impatient =
        new SqliteOptions(
            Duration.ofMillis(20),
            "NORMAL",
            Duration.ofMillis(500),
            256,
            10_000,
            Duration.ofHours(1),
            SqliteOptions.DEFAULTS.nativeCache());
    List<String> events = new CopyOnWriteArrayList<>();
    AtomicBoolean stop = new AtomicBoolean();
    ResourceKey cluster = new ResourceKey(BuiltinKinds.CLUSTER, "", "c1");
    try (Store store = new Store(SqliteBackend.open(db, impatient))) {
      GatewayOptions options =
          GatewayOptions.builder("c1").heartbeatEvery(Duration.ofMillis(200)).build();
      Thread gateway =
          new Thread(
              () -> {
                try {
                  GatewayDaemon.builder()
                      .store(store)
                      .options(options)
                      .executor(
                          ProcessExecutor.builder()
                              .command(List.of("true"))
                              .workingDir(dir)
                              .stateDir(dir.resolve("gateway-state"))
                              .build())
                      .events(events::add)
                      .build()
                      .run(stop::get);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      gateway.start();
      await().atMost(Duration.ofSeconds(30)).until(() -> store.find(cluster).isPresent());

      try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + db);
          Statement s = other.createStatement()) {
        s.execute("BEGIN EXCLUSIVE");
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> events.stream().anyMatch(e -> e.startsWith("store unavailable")));
        assertThat(gateway.isAlive()).isTrue();
        s.execute("ROLLBACK");
      }
      String before = store.get(cluster).statusText("lastHeartbeat");
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> !before.equals(store.get(cluster).statusText("lastHeartbeat")));
      stop.set(true);
      gateway.join(30_000);
      assertThat(gateway.isAlive()).isFalse();
      assertThat(events).last().isEqualTo("gateway stopping");
    }
  }
}
