package io.division.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.division.core.model.Json;
import io.division.core.store.dynamodb.DynamoDbLocalExtension;
import io.division.core.store.dynamodb.DynamoDbLocalServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Installs run exactly once through ./div gateway processes that are killed with SIGKILL, paused
 * with SIGSTOP past their lease, and replaced by a standby. Every run of the admin's command
 * appends a line to runs.txt; the tests count them. Each test prints its figures (runs per install)
 * on stdout.
 */
@ExtendWith(DynamoDbLocalExtension.class)
class GatewayReliabilityIT {
  @TempDir Path home;
  CliHarness div;

  /** On a failure, the gateways' and deploys' own logs say what happened: printed to the report. */
  @RegisterExtension
  final AfterTestExecutionCallback printLogs =
      context -> {
        if (context.getExecutionException().isPresent()) {
          try (var files = Files.list(home)) {
            for (Path f : files.filter(f -> f.toString().matches(".*\\.(log|out|txt)$")).toList())
              System.out.println("--- " + f.getFileName() + "\n" + Files.readString(f));
          } catch (IOException e) {
            System.out.println("cannot print the logs: " + e);
          }
        }
      };

  final List<Process> processes = new ArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    div = new CliHarness(home);
    // Waits for go-REF (or go-all) unless the ref starts with "quick"; "stubborn" refs ignore
    // SIGTERM.
    Files.writeString(
        home.resolve("deploy.sh"),
        """
        #!/bin/sh
        case "$DIV_REF" in stubborn*) trap '' TERM;; esac
        echo "$DIV_REF $DIV_ATTEMPT $$" >> runs.txt
        echo "deploying $DIV_APP at $DIV_REF"
        case "$DIV_REF" in
          quick*) ;;
          *) while [ ! -f "go-$DIV_REF" ] && [ ! -f go-all ]; do sleep 0.1; done;;
        esac
        echo "deployed $DIV_REF"
        """);
    home.resolve("deploy.sh").toFile().setExecutable(true);
    applyApplications();
  }

  private void applyApplications() throws Exception {
    CliHarness.Result applied =
        div.execWithInput(
            "kind: Application\nmetadata: {name: a1}\nspec: {project: p}\n---\n"
                + "kind: Application\nmetadata: {name: a2}\nspec: {project: p}\n---\n"
                + "kind: Application\nmetadata: {name: a3}\nspec: {project: p}\n",
            "apply",
            "-f",
            "-");
    assertThat(applied.code()).as(applied.err()).isZero();
  }

  /**
   * Points every ./div of the test at a fresh table prefix on DynamoDB Local. Standby gateways on
   * other hosts share a store like this one; on the embedded store a gateway paused while it holds
   * the file's write lock would hold up every writer on the host, its standby included.
   */
  private void onDynamoDb(DynamoDbLocalServer server) throws Exception {
    div.onDynamoDb(server);
    applyApplications();
  }

  @AfterEach
  void tearDown() throws Exception {
    Files.writeString(home.resolve("go-all"), ""); // let every command still waiting end
    for (Process p : processes) {
      p.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    // Commands whose gateway was killed live on under their supervisors, whose command lines
    // name this test's directory; found that way even when a gateway already deleted its record.
    ProcessHandle.allProcesses()
        .filter(h -> h.info().commandLine().orElse("").contains(home.toString()))
        .forEach(ProcessHandle::destroyForcibly);
  }

  private Process gateway(String log, String... extra) throws IOException {
    List<String> args =
        new ArrayList<>(List.of("gateway", "--cluster", "c1", "--heartbeat", "500ms"));
    args.addAll(List.of(extra));
    args.addAll(List.of("--", home.resolve("deploy.sh").toString()));
    Process p =
        div.process(args)
            .redirectErrorStream(true)
            .redirectOutput(home.resolve(log).toFile())
            .start();
    processes.add(p);
    return p;
  }

  private Process deploy(String ref) throws IOException {
    return deploy("a1", ref);
  }

  /** One Deployment per application: concurrent deploys go to different applications. */
  private Process deploy(String app, String ref) throws IOException {
    Process p =
        div.process(
                List.of("deploy", "--project", "p", "--app", app, "--ref", ref, "--timeout", "3m"))
            .redirectErrorStream(true)
            .redirectOutput(home.resolve("deploy-" + ref + ".out").toFile())
            .start();
    processes.add(p);
    return p;
  }

  private List<String> runs() throws IOException {
    Path runs = home.resolve("runs.txt");
    return Files.exists(runs) ? Files.readAllLines(runs) : List.of();
  }

  private long runsOf(String ref) throws IOException {
    return runs().stream().filter(l -> l.startsWith(ref + " ")).count();
  }

  private JsonNode install(String ref) throws Exception {
    return install("a1", ref);
  }

  private JsonNode install(String app, String ref) throws Exception {
    return installNamed(app + "-c1-" + ref);
  }

  private JsonNode installNamed(String name) throws Exception {
    CliHarness.Result got = div.exec("get", "install", name, "-o", "json");
    assertThat(got.code()).as(got.err()).isZero();
    return Json.parse(got.out());
  }

  private String leader() throws Exception {
    return Json.parse(div.exec("get", "cluster", "c1", "-o", "json").out())
        .path("status")
        .path("leader")
        .asText();
  }

  private void awaitClusterUp() {
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> div.exec("get", "clusters", "-o", "name").out().contains("cluster/c1"));
  }

  /** Whether no process of this pid runs: none at all, or only a zombie. */
  private static boolean runsNothing(long pid) throws IOException {
    Path stat = Path.of("/proc", Long.toString(pid), "stat");
    try {
      String s = Files.readString(stat);
      return s.substring(s.lastIndexOf(')') + 2).startsWith("Z");
    } catch (java.nio.file.NoSuchFileException e) {
      return true;
    }
  }

  private static void signal(Process p, String signal) throws Exception {
    assertThat(new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start().waitFor())
        .isZero();
  }

  @Test
  void aGatewayKilledWhileItsInstallRunsIsRestartedAndTheInstallRunsOnce() throws Exception {
    // More for the figures in a closing note: -Ddivision.killTrials=10 (given to failsafe's JVM).
    int trials = Integer.getInteger("division.killTrials", 3);
    Map<String, Long> runsPerInstall = new TreeMap<>();
    Process gateway = gateway("gateway-0.log");
    awaitClusterUp();
    for (int t = 1; t <= trials; t++) {
      String ref = "t" + t;
      Process deploy = deploy(ref);
      await().atMost(Duration.ofSeconds(60)).until(() -> runsOf(ref) == 1);
      gateway.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL: no clean-up at all
      gateway = gateway("gateway-" + t + ".log");
      // The restarted gateway has adopted the running command before it is let finish.
      String log = "gateway-" + t + ".log";
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> Files.readString(home.resolve(log)).contains("adopted attempt 1"));
      Files.writeString(home.resolve("go-" + ref), "");
      assertThat(deploy.waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(deploy.exitValue())
          .as(Files.readString(home.resolve("deploy-" + ref + ".out")))
          .isZero();
      JsonNode install = install(ref);
      assertThat(install.path("status").path("phase").asText()).isEqualTo("Succeeded");
      assertThat(install.path("status").path("attempt").asInt()).isEqualTo(1);
      runsPerInstall.put(ref, runsOf(ref));
    }
    System.out.println("kill -9 and restart mid-install, runs per install: " + runsPerInstall);
    assertThat(runsPerInstall.values()).hasSize(trials).containsOnly(1L);
  }

  @Test
  void aStandbyTakesOverFromALeaderKilledMidInstallAndEachInstallRunsOnce() throws Exception {
    Process first = gateway("first.log");
    awaitClusterUp();
    String firstId = leader();
    Process second = gateway("second.log");
    List<String> refs = List.of("r1", "r2", "r3");
    List<Process> deploys = new ArrayList<>();
    for (int i = 0; i < refs.size(); i++) deploys.add(deploy("a" + (i + 1), refs.get(i)));
    await().atMost(Duration.ofSeconds(90)).until(() -> runs().size() == refs.size());
    first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(60)).until(() -> !leader().equals(firstId));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                Files.readString(home.resolve("second.log")).split("adopted attempt", -1).length - 1
                    == refs.size());
    for (String ref : refs) Files.writeString(home.resolve("go-" + ref), "");
    for (Process d : deploys) assertThat(d.waitFor(120, TimeUnit.SECONDS)).isTrue();
    Map<String, Long> runsPerInstall = new TreeMap<>();
    for (int i = 0; i < refs.size(); i++) {
      String ref = refs.get(i);
      runsPerInstall.put(ref, runsOf(ref));
      assertThat(install("a" + (i + 1), ref).path("status").path("phase").asText())
          .isEqualTo("Succeeded");
    }
    System.out.println("leader kill -9 with a standby, runs per install: " + runsPerInstall);
    assertThat(runsPerInstall.values()).containsOnly(1L);
    assertThat(second.isAlive()).isTrue();
  }

  @Test
  void aLeaderPausedPastItsLeaseCannotOverwriteTheNewLeadersStatus(DynamoDbLocalServer server)
      throws Exception {
    onDynamoDb(server);
    Process first = gateway("first.log");
    awaitClusterUp();
    String firstId = leader();
    Process second = gateway("second.log");
    Process deploy = deploy("s1");
    await().atMost(Duration.ofSeconds(60)).until(() -> runsOf("s1") == 1);
    signal(first, "STOP");
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> !leader().equals(firstId));
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> Files.readString(home.resolve("second.log")).contains("adopted attempt 1"));
    } finally {
      signal(first, "CONT");
    }
    // The old leader runs again: it must notice its lease is gone before it writes anything.
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> Files.readString(home.resolve("first.log")).contains("lease lost"));
    Files.writeString(home.resolve("go-s1"), "");
    assertThat(deploy.waitFor(120, TimeUnit.SECONDS)).isTrue();
    JsonNode install = install("s1");
    assertThat(install.path("status").path("phase").asText()).isEqualTo("Succeeded");
    assertThat(install.path("status").path("gateway").asText()).isNotEqualTo(firstId);
    System.out.println("SIGSTOP past the lease, then SIGCONT: runs: " + runsOf("s1"));
    assertThat(runsOf("s1")).isEqualTo(1);
    assertThat(first.isAlive()).isTrue();
    assertThat(second.isAlive()).isTrue();
  }

  @Test
  void anOrphanIgnoringSigtermIsAdoptedNotOverlappedAndATimeoutKillsItsWholeGroup()
      throws Exception {
    Process gateway = gateway("gateway-0.log", "--install-timeout", "20s");
    awaitClusterUp();
    Process deploy = deploy("stubborn-1");
    await().atMost(Duration.ofSeconds(60)).until(() -> runsOf("stubborn-1") == 1);
    long pid = Long.parseLong(runs().get(0).split(" ")[2]);
    gateway.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    gateway("gateway-1.log", "--install-timeout", "20s");
    // Adopted, never run again; the timeout (counted from the first start) stops it: SIGTERM is
    // ignored, so its group is killed, and only then is it Failed.
    assertThat(deploy.waitFor(150, TimeUnit.SECONDS)).isTrue();
    JsonNode install = install("stubborn-1");
    assertThat(install.path("status").path("phase").asText()).isEqualTo("Failed");
    assertThat(install.path("status").path("message").asText())
        .startsWith("timed out after 20s")
        .contains("killed after ignoring SIGTERM");
    // Killed: gone, or a zombie its new parent has not collected yet (it runs nothing).
    await().atMost(Duration.ofSeconds(10)).until(() -> runsNothing(pid));
    assertThat(runsOf("stubborn-1")).isEqualTo(1);
  }

  @Test
  void poisonedObjectsInTheStoreNeitherStopNorSteerTheGateway() throws Exception {
    Process bystander = new ProcessBuilder("sleep", "120").start();
    processes.add(bystander);
    String started = bystander.info().startInstant().map(java.time.Instant::toString).orElseThrow();
    String poison =
        """
        kind: Install
        metadata: {name: planted}
        spec: {project: p, app: a1, cluster: c1, ref: v1, request: r1, attempt: 1}
        status: {phase: Running, attempt: 1, gateway: gone, startedAt: garbage,
                 executorState: "%d@%s"}
        ---
        kind: Install
        metadata: {name: planted-pid}
        spec: {project: p, app: a1, cluster: c1, ref: v2, request: r2, attempt: 1}
        status: {phase: Running, attempt: 1, gateway: gone, startedAt: "2026-01-01T00:00:00Z",
                 executorState: "%d@%s"}
        ---
        kind: Cluster
        metadata: {name: c1}
        status: {leader: someone, leaseUntil: garbage}
        """
            .formatted(bystander.pid(), started, bystander.pid(), started);
    CliHarness.Result applied = div.execWithInput(poison, "apply", "-f", "-");
    assertThat(applied.code()).as(applied.err()).isZero();
    Process gateway = gateway("gateway.log");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> Files.readString(home.resolve("gateway.log")).contains("holding the lease"));
    Process deploy = deploy("quick-1");
    assertThat(deploy.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(deploy.exitValue()).isZero();
    String log = Files.readString(home.resolve("gateway.log"));
    assertThat(log)
        .contains("status.leaseUntil is not a timestamp")
        .contains("install default/planted skipped: ")
        .contains("status.startedAt must be a timestamp");
    assertThat(gateway.isAlive()).isTrue();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                installNamed("planted-pid")
                    .path("status")
                    .path("message")
                    .asText()
                    .startsWith("outcome unknown"));
    assertThat(installNamed("planted").path("status").path("problem").asText())
        .contains("status.startedAt must be a timestamp");
    assertThat(bystander.isAlive()).as("a pid named in the store is never signalled").isTrue();
  }
}
