package io.division.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.division.core.deploy.DeployProgress;
import io.division.core.deploy.DeployRequest;
import io.division.core.deploy.Deployer;
import io.division.core.deploy.GatewayOptions;
import io.division.core.kind.BuiltinKinds;
import io.division.core.model.Json;
import io.division.core.model.ObjectMeta;
import io.division.core.model.Resource;
import io.division.core.store.Store;
import io.division.core.store.sqlite.SqliteBackend;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an admin sees of a working gateway: one log line per install transition, /readyz naming the
 * role, /metrics with installs by transition, their durations, the lease holder and the Deployment
 * lag. The real daemon, embedded store, process executor and HTTP server.
 */
class GatewayObservabilityTest {
  @TempDir Path dir;
  Store store;
  GatewayDaemon gateway;
  HealthServer health;
  final List<String> log = new CopyOnWriteArrayList<>();
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    store = new Store(SqliteBackend.open(dir.resolve("division.db")));
    store.create(
        new Resource(
            null,
            BuiltinKinds.APPLICATION,
            ObjectMeta.named("shop-web", "default"),
            Json.object().put("project", "shop"),
            null));
    String script =
        "echo deploying $DIV_REF; case \"$DIV_REF\" in bad*) echo broken >&2; exit 2;; esac";
    gateway =
        GatewayDaemon.builder()
            .store(store)
            .options(GatewayOptions.of("c1"))
            .executor(
                ProcessExecutor.builder()
                    .command(List.of("/bin/sh", "-c", script))
                    .workingDir(dir)
                    .stateDir(dir.resolve("state"))
                    .build())
            .events(log::add)
            .build()
            .start();
    health = HealthServer.forGateway(gateway, "127.0.0.1", 0);
  }

  @AfterEach
  void stop() throws Exception {
    health.close();
    gateway.close();
    store.close();
  }

  HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + health.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  DeployProgress deploy(String ref) throws InterruptedException {
    DeployRequest req =
        DeployRequest.builder()
            .project("shop")
            .app("shop/web")
            .ref(ref)
            .clusters(List.of("c1"))
            .timeout(Duration.ofSeconds(30))
            .build();
    return DeployLoopTest.follow(new Deployer(store, Clock.systemUTC()), store, req).result();
  }

  @Test
  void transitionsAreLoggedOnceEachAndCountedWithTheirDurations() throws Exception {
    await().atMost(Duration.ofSeconds(20)).until(() -> get("/readyz").statusCode() == 200);
    assertThat(get("/readyz").body()).isEqualTo("leader\n");

    assertThat(deploy("v1").state()).isEqualTo(DeployProgress.State.SUCCEEDED);
    assertThat(deploy("bad1").state()).isEqualTo(DeployProgress.State.FAILED);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> log.stream().anyMatch(l -> l.contains("bad1: failed")));

    assertThat(log.stream().filter(l -> l.startsWith("install default/shop-web-c1-v1 ")))
        .hasSize(3)
        .anyMatch(l -> l.matches("install default/shop-web-c1-v1 attempt 1 of v1: claimed: by .*"))
        .anyMatch(l -> l.matches("install default/shop-web-c1-v1 attempt 1 of v1: started: .*"))
        .anyMatch(
            l ->
                l.matches(
                    "install default/shop-web-c1-v1 attempt 1 of v1: succeeded after \\S+:"
                        + " exit code 0"));
    assertThat(log)
        .anyMatch(
            l ->
                l.matches(
                    "install default/shop-web-c1-bad1 attempt 1 of bad1: failed after \\S+:"
                        + " exit code 2"));

    String metrics = get("/metrics").body();
    assertThat(metrics)
        .contains("division_gateway_installs_total{transition=\"claimed\"} 2\n")
        .contains("division_gateway_installs_total{transition=\"started\"} 2\n")
        .contains("division_gateway_installs_total{transition=\"succeeded\"} 1\n")
        .contains("division_gateway_installs_total{transition=\"failed\"} 1\n")
        .contains("division_gateway_install_duration_seconds_count{outcome=\"succeeded\"} 1\n")
        .contains("division_gateway_install_duration_seconds_count{outcome=\"failed\"} 1\n")
        .containsPattern(
            "division_gateway_lease_holder\\{cluster=\"c1\",holder=\"c1-[^\"]+\",self=\"true\"\\} 1")
        .containsPattern("division_gateway_watch_lag_seconds [0-9.]+\n")
        .contains("division_gateway_leader 1\n");
    assertThat(get("/readyz?x=1").statusCode()).isEqualTo(200);
  }
}
