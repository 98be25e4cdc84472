package io.division.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.division.core.model.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The original's model use case with separate processes: ./div gateway in one, ./div deploy in
 * others.
 */
class DeployProcessIT {
  @TempDir Path home;
  CliHarness div;
  Process gateway;

  @BeforeEach
  void setUp() throws Exception {
    div = new CliHarness(home);
    Files.writeString(
        home.resolve("deploy.sh"),
        """
        #!/bin/sh
        echo "deploying $DIV_APP at $DIV_REF to $DIV_CLUSTER"
        case "$DIV_REF" in slow*) sleep 4;; esac
        case "$DIV_REF" in bad*) echo "helmfile: release failed" >&2; exit 2;; esac
        echo "deployed"
        """);
    home.resolve("deploy.sh").toFile().setExecutable(true);
    // The applications the tests deploy: div deploy refuses one that does not exist.
    String apps =
        "kind: Application\nmetadata: {name: mumoshu-microservices-myapp1}\nspec: {project: mumoshu-microservices}\n---\n"
            + "kind: Application\nmetadata: {name: a1}\nspec: {project: p}\n---\nkind: Application\nmetadata: {name: a}\nspec: {project: p}\n";
    CliHarness.Result applied = div.execWithInput(apps, "apply", "-f", "-");
    assertThat(applied.code()).as(applied.err()).isZero();
  }

  @AfterEach
  void tearDown() {
    if (gateway != null) gateway.destroyForcibly();
  }

  private Process startGateway(String... extra) throws IOException {
    List<String> args = new java.util.ArrayList<>(List.of("gateway", "--cluster", "mycluster1"));
    args.addAll(List.of(extra));
    args.addAll(List.of("--", home.resolve("deploy.sh").toString()));
    Process p =
        div.process(args)
            .redirectErrorStream(true)
            .redirectOutput(home.resolve("gateway.log").toFile())
            .start();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> div.exec("get", "clusters", "-o", "name").out().contains("cluster/mycluster1"));
    return p;
  }

  @Test
  void deployStreamsTheGatewaysLogAndSucceedsThenAFailingDeployExitsFour() throws Exception {
    gateway = startGateway();
    assertThat(div.exec("get", "clusters").out())
        .containsPattern("NAME\\s+STATUS\\s+EXECUTOR\\s+HEARTBEAT\\s+AGE")
        .containsPattern("mycluster1\\s+READY\\s+process\\s+\\d+s ago");
    CliHarness.Result ok =
        div.exec(
            "deploy",
            "--project",
            "mumoshu/microservices",
            "--app",
            "mumoshu/microservices/myapp1",
            "--ref",
            "abc123",
            "--cluster",
            "mycluster1",
            "--timeout",
            "1m");
    assertThat(ok.code()).as(ok.err()).isZero();
    assertThat(ok.out())
        .contains(
            "[mycluster1 mumoshu-microservices-myapp1] deploying mumoshu-microservices-myapp1 at abc123 to mycluster1")
        .containsPattern(
            "mycluster1\\s+mumoshu-microservices-myapp1\\s+abc123\\s+\\S+\\s+1\\s+Succeeded");

    CliHarness.Result bad =
        div.exec(
            "deploy",
            "--project",
            "mumoshu/microservices",
            "--app",
            "mumoshu/microservices/myapp1",
            "--ref",
            "bad-ref",
            "--timeout",
            "1m");
    assertThat(bad.code()).isEqualTo(ExitCodes.FAILED);
    assertThat(bad.out())
        .contains("helmfile: release failed")
        .containsPattern("Failed\\s+exit code 2");
    assertThat(bad.err())
        .startsWith("following the deploy of bad-ref: mumoshu-microservices-myapp1 on mycluster1")
        .endsWith(
            "\nerror: deploy of bad-ref failed on mumoshu-microservices-myapp1 on mycluster1\n");

    gateway.destroy(); // SIGTERM: a graceful stop
    assertThat(gateway.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(gateway.exitValue()).isZero();
    assertThat(Files.readString(home.resolve("gateway.log"))).contains("gateway stopping");
    // The stopped gateway gave its lease up: nobody serves the cluster now.
    assertThat(div.exec("get", "clusters").out()).containsPattern("mycluster1\\s+STALE");
  }

  @Test
  void aGatewayKilledMidInstallIsRestartedAndAdoptsTheRunningInstall() throws Exception {
    gateway = startGateway("--heartbeat", "300ms");
    Process deploy =
        div.process(
                List.of(
                    "deploy",
                    "--project",
                    "p",
                    "--app",
                    "a1",
                    "--ref",
                    "slow-1",
                    "--timeout",
                    "2m"))
            .redirectErrorStream(true)
            .redirectOutput(home.resolve("deploy.out").toFile())
            .start();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                Files.exists(home.resolve("deploy.out"))
                    && Files.readString(home.resolve("deploy.out"))
                        .contains("deploying a1 at slow-1"));
    gateway.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL: no clean-up at all
    gateway = startGateway("--heartbeat", "300ms");
    assertThat(deploy.waitFor(90, TimeUnit.SECONDS)).isTrue();
    String out = Files.readString(home.resolve("deploy.out"));
    assertThat(deploy.exitValue()).as(out).isZero();
    // The command outlived the killed gateway; the restarted one adopted it (still running, or
    // finished before the restart: its recorded exit status is taken): it ran once.
    assertThat(out)
        .containsPattern("re-adopted|finished while no gateway followed it")
        .doesNotContain("=== attempt 2 of slow-1")
        .containsPattern("1\\s+Succeeded");
    JsonNode install =
        Json.parse(div.exec("get", "install", "a1-mycluster1-slow-1", "-o", "json").out());
    assertThat(install.path("status").path("history").isMissingNode()).isTrue();
  }

  @Test
  void theGatewayServesHealthAndMetrics() throws Exception {
    gateway = startGateway("--health-port", "0", "--health-address", "127.0.0.1");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> Files.readString(home.resolve("gateway.log")).contains("serving /healthz"));
    String line =
        Files.readAllLines(home.resolve("gateway.log")).stream()
            .filter(l -> l.contains("serving /healthz"))
            .findFirst()
            .orElseThrow();
    int port = Integer.parseInt(line.substring(line.lastIndexOf(':') + 1).trim());
    var http = java.net.http.HttpClient.newHttpClient();
    var health =
        http.send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + port + "/healthz"))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);
    var metrics =
        http.send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + port + "/metrics"))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(metrics.body())
        .containsPattern("division_gateway_passes_total [1-9]")
        .contains("division_gateway_leader 1");
  }

  @Test
  void deployWithoutALiveGatewayFailsWithAHint() throws Exception {
    CliHarness.Result r = div.exec("deploy", "--project", "p", "--app", "a", "--ref", "v1");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err())
        .contains("no cluster has a gateway heartbeat")
        .contains("div gateway --cluster NAME");
    CliHarness.Result badRef =
        div.exec("deploy", "--project", "p", "--app", "a", "--ref", "v1;reboot", "--cluster", "c");
    assertThat(badRef.code()).isEqualTo(1);
    assertThat(badRef.err()).startsWith("error: ref \"v1;reboot\" is not allowed");
  }

  @Test
  void aDeployToAClusterWithoutAGatewaySaysWhatItWaitsForAndTimesOut() throws Exception {
    CliHarness.Result r =
        div.exec(
            "deploy",
            "--project",
            "p",
            "--app",
            "a",
            "--ref",
            "v3",
            "--cluster",
            "nowhere",
            "--timeout",
            "12s");
    assertThat(r.code()).isEqualTo(ExitCodes.TIMEOUT);
    assertThat(r.out())
        .contains(
            "[nowhere a] no answer yet from the gateway of cluster nowhere (no gateway has ever registered cluster nowhere) (is `div gateway --cluster nowhere` running?)")
        .containsPattern(
            "nowhere\\s+a\\s+v3\\s+<none>\\s+-\\s+Waiting\\s+timed out after 12s: no gateway answered for cluster nowhere \\(no gateway has ever registered cluster nowhere\\)");
    assertThat(r.err())
        .startsWith("following the deploy of v3: a on nowhere (until ")
        .endsWith("\nerror: deploy of v3 timed out after 12s\n");
  }

  @Test
  void aCancelledInterruptedOrTerminatedDeployIsNotInstalledByAGatewayThatStartsAfterwards()
      throws Exception {
    // No gateway yet. A deploy followed by div deploy, interrupted (Ctrl-C) while it waits ...
    Process interrupted =
        div.process(
                List.of(
                    "deploy",
                    "--project",
                    "p",
                    "--app",
                    "a1",
                    "--ref",
                    "v5",
                    "--cluster",
                    "mycluster1",
                    "--timeout",
                    "2m"))
            .redirectOutput(home.resolve("interrupted.out").toFile())
            .redirectError(home.resolve("interrupted.err").toFile())
            .start();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                Files.readString(home.resolve("interrupted.err"))
                    .contains("following the deploy of v5"));
    new ProcessBuilder("kill", "-INT", Long.toString(interrupted.pid())).start().waitFor();
    assertThat(interrupted.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(interrupted.exitValue()).isEqualTo(ExitCodes.INTERRUPTED);
    assertThat(Files.readString(home.resolve("interrupted.err")))
        .endsWith(
            "error: interrupted while following the deploy of v5; withdrawn where it had not started\n");

    // ... one ended by SIGTERM, as CI cancels a job ...
    Process terminated =
        div.process(
                List.of(
                    "deploy",
                    "--project",
                    "mumoshu/microservices",
                    "--ref",
                    "v7",
                    "--cluster",
                    "mycluster1",
                    "--timeout",
                    "2m"))
            .redirectOutput(home.resolve("terminated.out").toFile())
            .redirectError(home.resolve("terminated.err").toFile())
            .start();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                Files.readString(home.resolve("terminated.err"))
                    .contains("following the deploy of v7"));
    terminated.destroy();
    assertThat(terminated.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(terminated.exitValue()).isEqualTo(ExitCodes.TERMINATED);
    assertThat(Files.readString(home.resolve("terminated.err")))
        .endsWith(
            "error: terminated while following the deploy of v7; withdrawn where it had not started\n");

    // ... and one written with --no-wait, then cancelled from another process.
    CliHarness.Result submitted =
        div.exec(
            "deploy",
            "--project",
            "p",
            "--app",
            "a",
            "--ref",
            "v6",
            "--cluster",
            "mycluster1",
            "--no-wait");
    assertThat(submitted.code()).as(submitted.err()).isZero();
    CliHarness.Result cancelled = div.exec("deploy", "--cancel", "--project", "p", "--app", "a");
    assertThat(cancelled.code()).as(cancelled.err()).isZero();
    assertThat(cancelled.out()).isEqualTo("deployment/a cancelled its deploy of v6\n");
    CliHarness.Result none = div.exec("deploy", "--cancel", "--project", "p", "--app", "a");
    assertThat(none.out()).isEqualTo("nothing to cancel: no deploy is pending\n");

    // A gateway that starts afterwards answers the three requests as withdrawn, installs nothing.
    gateway = startGateway();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                div.exec("get", "releases", "-o", "json").out().split("Withdrawn", -1).length == 4);
    JsonNode release = Json.parse(div.exec("get", "release", "a-mycluster1", "-o", "json").out());
    assertThat(release.path("status").path("message").asText())
        .isEqualTo("the deploy of v6 was cancelled");
    assertThat(div.exec("get", "installs", "-o", "name").out()).isEmpty();
    assertThat(Files.readString(home.resolve("gateway.log"))).doesNotContain("deploying");

    // Asked again, it runs.
    CliHarness.Result again =
        div.exec(
            "deploy",
            "--project",
            "p",
            "--app",
            "a",
            "--ref",
            "v6",
            "--cluster",
            "mycluster1",
            "--timeout",
            "1m");
    assertThat(again.code()).as(again.err()).isZero();
    assertThat(again.out()).contains("[mycluster1 a] deploying a at v6 to mycluster1");
  }

  @Test
  void aDeployOfAnApplicationThatDoesNotExistIsRefused() throws Exception {
    CliHarness.Result r =
        div.exec("deploy", "--project", "p", "--app", "nope", "--ref", "v1", "--cluster", "c1");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err())
        .isEqualTo(
            "error: application nope not found in namespace default: apply it first (examples/project.yaml shows one)\n");
  }

  @Test
  void noWaitWritesTheDeploymentAndReturns() throws Exception {
    CliHarness.Result r =
        div.exec(
            "deploy",
            "--project",
            "p",
            "--app",
            "a",
            "--ref",
            "v2",
            "--cluster",
            "c9",
            "--no-wait");
    assertThat(r.code()).isZero();
    JsonNode d = Json.parse(div.exec("get", "deployment", "a", "-o", "json").out());
    assertThat(d.path("spec").path("ref").asText()).isEqualTo("v2");
    assertThat(d.path("spec").path("clusters").get(0).asText()).isEqualTo("c9");
  }
}
