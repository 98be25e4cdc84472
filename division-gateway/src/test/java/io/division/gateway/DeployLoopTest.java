package io.division.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.division.core.deploy.DeployNames;
import io.division.core.deploy.DeployProgress;
import io.division.core.deploy.DeployRequest;
import io.division.core.deploy.DeploySubmission;
import io.division.core.deploy.Deployer;
import io.division.core.deploy.GatewayOptions;
import io.division.core.deploy.InstallRun;
import io.division.core.deploy.Reconciler;
import io.division.core.kind.BuiltinKinds;
import io.division.core.model.Resource;
import io.division.core.model.ResourceKey;
import io.division.core.store.Store;
import io.division.core.store.sqlite.SqliteBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deploy loop against the real embedded store: a gateway thread, div deploy's runner, a real
 * process executor.
 */
class DeployLoopTest {
  @TempDir Path dir;
  Store store;
  Path runs;
  final AtomicBoolean stop = new AtomicBoolean();
  final List<Thread> gateways = new CopyOnWriteArrayList<>();
  final List<String> events = new CopyOnWriteArrayList<>();

  /** On a failure, what the gateways said and what ran: printed to the test report. */
  @RegisterExtension
  final AfterTestExecutionCallback printEvents =
      context -> {
        if (context.getExecutionException().isPresent()) {
          System.out.println("--- gateway events\n" + String.join("\n", events));
          System.out.println("--- runs.txt\n" + String.join("\n", runLines()));
        }
      };

  /**
   * The admin's command: records each run in a file, prints, and fails for refs starting with "bad"
   * unless the file named by the ref exists; sleeps for refs starting with "slow"; for refs
   * starting with "wait", waits until the file go-REF exists.
   */
  static final String SCRIPT =
      """
      echo "$DIV_APP $DIV_REF $DIV_ATTEMPT" >> runs.txt
      echo "deploying $DIV_APP at $DIV_REF on $DIV_CLUSTER"
      case "$DIV_REF" in slow*) sleep 30;; esac
      case "$DIV_REF" in wait*) while [ ! -f "go-$DIV_REF" ]; do sleep 0.05; done;; esac
      case "$DIV_REF" in bad*) test -f "fixed-$DIV_REF" || { echo "cannot deploy $DIV_REF" >&2; exit 3; };; esac
      echo "done"
      """;

  @BeforeEach
  void open() {
    store = new Store(SqliteBackend.open(dir.resolve("division.db")));
    store.create(
        new Resource(
            null,
            BuiltinKinds.APPLICATION,
            io.division.core.model.ObjectMeta.named("mumoshu-microservices-myapp1", "default"),
            io.division.core.model.Json.object().put("project", "mumoshu-microservices"),
            null));
    runs = dir.resolve("runs.txt");
  }

  @AfterEach
  void close() throws InterruptedException {
    stop.set(true);
    for (Thread t : gateways) t.join(10_000);
    store.close();
  }

  private ProcessExecutor executor() {
    return ProcessExecutor.builder()
        .command(List.of("/bin/sh", "-c", SCRIPT))
        .workingDir(dir)
        .stateDir(dir.resolve("gateway-state"))
        .killGrace(Duration.ofSeconds(1))
        .build();
  }

  private void startGateway(GatewayOptions options) {
    Thread t =
        new Thread(
            () -> {
              try {
                GatewayDaemon.builder()
                    .store(store)
                    .options(options)
                    .executor(executor())
                    .events(events::add)
                    .build()
                    .run(stop::get);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    t.start();
    gateways.add(t);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                store
                    .find(new ResourceKey(BuiltinKinds.CLUSTER, "", options.cluster()))
                    .isPresent());
  }

  record Run(DeployProgress result, String output) {}

  private Run deploy(String ref, boolean force, String... clusters) throws InterruptedException {
    DeployRequest req =
        DeployRequest.builder()
            .project("mumoshu/microservices")
            .app("mumoshu/microservices/myapp1")
            .ref(ref)
            .clusters(List.of(clusters))
            .timeout(Duration.ofSeconds(30))
            .force(force)
            .build();
    return follow(new Deployer(store, Clock.systemUTC()), req);
  }

  /** What div deploy does: submit, then advance until the deploy ends, printing each line. */
  static Run follow(Deployer deployer, Store store, DeployRequest req) throws InterruptedException {
    StringBuilder out = new StringBuilder();
    DeploySubmission submission = deployer.submit(req);
    while (true) {
      long mark = store.changeMark();
      DeployProgress progress = deployer.advance(submission);
      submission = progress.submission();
      for (DeployProgress.Line line : progress.lines()) out.append(line.prefixed()).append('\n');
      if (progress.state().ended()) return new Run(progress, out.toString());
      store.awaitChange(mark, Duration.ofMillis(250));
    }
  }

  private Run follow(Deployer deployer, DeployRequest req) throws InterruptedException {
    return follow(deployer, store, req);
  }

  private List<String> runLines() throws Exception {
    return Files.exists(runs) ? Files.readAllLines(runs) : List.of();
  }

  private Resource install(String ref) {
    return store.get(
        new ResourceKey(
            BuiltinKinds.INSTALL,
            "default",
            DeployNames.installName("mumoshu-microservices-myapp1", "c1", ref)));
  }

  @Test
  void aDeployRunsOnceOnTheClusterAndStreamsItsLogPrefixed() throws Exception {
    startGateway(GatewayOptions.of("c1"));
    Run run = deploy("v1", false);
    assertThat(run.result().state()).isEqualTo(DeployProgress.State.SUCCEEDED);
    assertThat(run.output())
        .contains(
            "[c1 mumoshu-microservices-myapp1] deploying mumoshu-microservices-myapp1 at v1 on c1")
        .contains("[c1 mumoshu-microservices-myapp1] done");
    assertThat(run.result().table())
        .containsPattern(
            "c1\\s+mumoshu-microservices-myapp1\\s+v1\\s+\\S+\\s+1\\s+Succeeded\\s+exit code 0");
    assertThat(runLines()).containsExactly("mumoshu-microservices-myapp1 v1 1");
    Resource install = install("v1");
    assertThat(install.statusText("phase")).isEqualTo("Succeeded");
    assertThat(install.statusText("startedAt")).isNotNull();
    assertThat(install.statusText("finishedAt")).isNotNull();
    assertThat(install.statusText("executorObject"))
        .isEqualTo(DeployNames.objectName(install.name(), 1));
    Resource release =
        store.get(
            new ResourceKey(BuiltinKinds.RELEASE, "default", "mumoshu-microservices-myapp1-c1"));
    assertThat(release.statusText("ref")).isEqualTo("v1");
  }

  @Test
  void aFailingCommandFailsTheDeployWithItsExitCode() throws Exception {
    startGateway(GatewayOptions.of("c1"));
    Run run = deploy("bad1", false);
    assertThat(run.result().state()).isEqualTo(DeployProgress.State.FAILED);
    assertThat(run.output()).contains("cannot deploy bad1");
    assertThat(run.result().targets())
        .singleElement()
        .satisfies(t -> assertThat(t.message()).isEqualTo("exit code 3"));
  }

  @Test
  void anAlreadySucceededRefIsNotRunAgainUnlessForced() throws Exception {
    startGateway(GatewayOptions.of("c1"));
    deploy("v1", false);
    Run again = deploy("v1", false);
    assertThat(again.result().state()).isEqualTo(DeployProgress.State.SUCCEEDED);
    assertThat(again.output()).contains("already installed");
    assertThat(runLines()).hasSize(1);
    Run forced = deploy("v1", true);
    assertThat(forced.result().state()).isEqualTo(DeployProgress.State.SUCCEEDED);
    assertThat(forced.result().targets().get(0).attempt()).isEqualTo(2);
    assertThat(runLines())
        .containsExactly("mumoshu-microservices-myapp1 v1 1", "mumoshu-microservices-myapp1 v1 2");
  }

  @Test
  void aFailedRefIsRetriedAsANewRecordedAttemptAndItsOldFailureIsNotMistakenForTheNewRun()
      throws Exception {
    startGateway(GatewayOptions.of("c1"));
    assertThat(deploy("bad2", false).result().state()).isEqualTo(DeployProgress.State.FAILED);
    Files.writeString(dir.resolve("fixed-bad2"), "");
    Run retry = deploy("bad2", false);
    assertThat(retry.result().state()).isEqualTo(DeployProgress.State.SUCCEEDED);
    assertThat(retry.result().targets().get(0).attempt()).isEqualTo(2);
    assertThat(retry.output()).doesNotContain("cannot deploy").contains("=== attempt 2 of bad2");
    Resource install = install("bad2");
    assertThat(install.status().path("history")).hasSize(1);
    assertThat(install.status().path("history").get(0).path("phase").asText()).isEqualTo("Failed");
    assertThat(install.status().path("history").get(0).path("message").asText())
        .isEqualTo("exit code 3");
  }

  @Test
  void twoGatewaysForOneClusterRunEachInstallExactlyOnce() throws Exception {
    try (Store second = new Store(SqliteBackend.open(dir.resolve("division.db")))) {
      startGateway(GatewayOptions.of("c1"));
      Thread other =
          new Thread(
              () -> {
                try {
                  GatewayDaemon.builder()
                      .store(second)
                      .options(GatewayOptions.of("c1"))
                      .executor(executor())
                      .events(events::add)
                      .build()
                      .run(stop::get);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      other.start();
      gateways.add(other);
      for (String ref : List.of("r1", "r2", "r3", "r4"))
        assertThat(deploy(ref, false).result().state()).isEqualTo(DeployProgress.State.SUCCEEDED);
      assertThat(runLines()).hasSize(4);
      stop.set(true);
      other.join(10_000);
    }
  }

  @Test
  void anInstallRunningPastTheTimeoutIsFailedAndStopped() throws Exception {
    startGateway(GatewayOptions.builder("c1").installTimeout(Duration.ofMillis(500)).build());
    Run run = deploy("slow1", false);
    assertThat(run.result().state()).isEqualTo(DeployProgress.State.FAILED);
    assertThat(run.result().targets().get(0).message()).startsWith("timed out after 500ms");
    assertThat(run.output()).contains("[gateway] timed out after 500ms; stopping it");
  }

  @Test
  void aRestartedGatewayAdoptsTheRunningAttemptAndRecordsItsOutcomeWithoutRunningItAgain()
      throws Exception {
    GatewayOptions options =
        GatewayOptions.builder("c1").heartbeatEvery(Duration.ofMillis(100)).build();
    ClusterLease crashedLease =
        new ClusterLease(store, options, "process", Clock.systemUTC(), events::add);
    Reconciler crashed =
        new Reconciler(store, options, executor(), crashedLease, Clock.systemUTC());
    crashedLease.renew(); // deploy looks for a cluster with a heartbeat
    Thread deployer =
        new Thread(
            () -> {
              try {
                deploy("wait-then-ok", false);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    deployer.start();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              crashedLease.renew();
              crashed.reconcileDeployments();
              crashed.reconcileInstalls();
              return runLines().size() == 1;
            });
    // The first gateway dies without cleaning up (it is simply never called again); the next
    // one, with the same state directory, finds its Running attempt and adopts it.
    ClusterLease restartedLease =
        new ClusterLease(store, options, "process", Clock.systemUTC(), events::add);
    Reconciler restarted =
        new Reconciler(store, options, executor(), restartedLease, Clock.systemUTC());
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              if (!restartedLease.renew())
                return false; // the dead gateway's lease must run out first
              restarted.reconcileInstalls();
              return restarted.activeCount() == 1;
            });
    Files.writeString(dir.resolve("go-wait-then-ok"), "");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              restartedLease.renew();
              restarted.reconcileInstalls();
              return "Succeeded".equals(install("wait-then-ok").statusText("phase"));
            });
    deployer.join(30_000);
    Resource install = install("wait-then-ok");
    assertThat(install.spec().path("attempt").asInt()).isEqualTo(1);
    assertThat(install.statusText("gateway")).isEqualTo(restartedLease.holder());
    assertThat(runLines()).containsExactly("mumoshu-microservices-myapp1 wait-then-ok 1");
    assertThat(
            store.readLog(install.key(), 0, 1000).stream()
                .map(io.division.core.store.LogLine::text)
                .toList())
        .anyMatch(l -> l.startsWith("[gateway] re-adopted"))
        .contains("done");
    restarted.close();
  }

  @Test
  void aPidNamedInTheStoreIsNeverSignalledAndTheUnknownOutcomeIsReported() throws Exception {
    Process bystander = new ProcessBuilder("sleep", "60").start();
    try {
      String started =
          bystander.info().startInstant().map(java.time.Instant::toString).orElseThrow();
      store.create(
          new Resource(
              null,
              BuiltinKinds.INSTALL,
              io.division.core.model.ObjectMeta.named("planted", "default"),
              io.division.core.model.Json.object()
                  .put("app", "mumoshu-microservices-myapp1")
                  .put("cluster", "c1")
                  .put("ref", "v9")
                  .put("request", "r1")
                  .put("attempt", 1),
              io.division.core.model.Json.object()
                  .put("phase", "Running")
                  .put("attempt", 1)
                  .put("gateway", "someone-else")
                  .put("startedAt", "2026-01-01T00:00:00Z")
                  .put("executorState", bystander.pid() + "@" + started)));
      startGateway(GatewayOptions.of("c1"));
      ResourceKey planted = new ResourceKey(BuiltinKinds.INSTALL, "default", "planted");
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> "Failed".equals(store.get(planted).statusText("phase")));
      assertThat(store.get(planted).statusText("message")).startsWith("outcome unknown: ");
      assertThat(bystander.isAlive()).isTrue();
      assertThat(runLines()).isEmpty();
    } finally {
      bystander.destroyForcibly().waitFor();
    }
  }

  @Test
  void poisonedInstallsAndClusterAreReportedAndSkippedWhileOthersAreServed() throws Exception {
    io.division.core.model.Json.object();
    for (String[] poison :
        new String[][] {
          {"bad-time", "startedAt", "garbage"},
          {"bad-attempt", "attempt", "x"},
        }) {
      store.create(
          new Resource(
              null,
              BuiltinKinds.INSTALL,
              io.division.core.model.ObjectMeta.named(poison[0], "default"),
              io.division.core.model.Json.object()
                  .put("app", "mumoshu-microservices-myapp1")
                  .put("cluster", "c1")
                  .put("ref", "v9")
                  .put("request", "r1")
                  .put("attempt", 1),
              io.division.core.model.Json.object()
                  .put("phase", "Running")
                  .put("gateway", "gone")
                  .put(poison[1], poison[2])));
    }
    store.create(
        new Resource(
            null,
            BuiltinKinds.INSTALL,
            io.division.core.model.ObjectMeta.named("bad-status", "default"),
            io.division.core.model.Json.object().put("cluster", "c1").put("attempt", 1),
            new com.fasterxml.jackson.databind.node.TextNode("garbage")));
    store.create(
        new Resource(
            null,
            BuiltinKinds.CLUSTER,
            io.division.core.model.ObjectMeta.named("c1", ""),
            io.division.core.model.Json.object(),
            io.division.core.model.Json.object()
                .put("leader", "someone")
                .put("leaseUntil", "garbage")));
    startGateway(GatewayOptions.of("c1"));
    // Every other install is still served.
    Run run = deploy("v1", false);
    assertThat(run.result().state()).isEqualTo(DeployProgress.State.SUCCEEDED);
    ResourceKey badTime = new ResourceKey(BuiltinKinds.INSTALL, "default", "bad-time");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> store.get(badTime).statusText("problem") != null);
    assertThat(store.get(badTime).statusText("problem"))
        .contains("status.startedAt must be a timestamp");
    assertThat(events)
        .anyMatch(e -> e.contains("install default/bad-time skipped: "))
        .anyMatch(e -> e.contains("status.leaseUntil is not a timestamp"))
        .noneMatch(e -> e.startsWith("reconcile pass failed"));
  }

  @Test
  void refsAndNamesThatCouldReachAShellAreRejected() {
    assertThatThrownBy(() -> deploy("v1;rm -rf /", false))
        .hasMessageContaining("ref \"v1;rm -rf /\" is not allowed");
    assertThatThrownBy(() -> deploy("$(id)", false)).hasMessageContaining("is not allowed");
    assertThatThrownBy(() -> deploy("../../etc", false)).hasMessageContaining("is not allowed");
    assertThatThrownBy(() -> DeployNames.resourceName("--app", "My App"))
        .hasMessageContaining("--app \"My App\" is not a valid name");
    assertThatThrownBy(
            () ->
                new InstallRun("i", "o", "p", "a", "v1", "c", "ns; x", 1, java.time.Instant.now()))
        .hasMessageContaining("invalid name");
  }

  @Test
  void anApplicationThatDoesNotExistOrBelongsElsewhereIsNotDeployed() {
    Deployer deployer = new Deployer(store, Clock.systemUTC());
    DeployRequest typo =
        DeployRequest.builder()
            .project("mumoshu/microservices")
            .app("myapp-typo")
            .ref("v1")
            .cluster("c1")
            .build();
    assertThatThrownBy(() -> deployer.submit(typo))
        .hasMessage(
            "application myapp-typo not found in namespace default: apply it first (examples/project.yaml shows one)");
    DeployRequest elsewhere =
        DeployRequest.builder()
            .project("other-project")
            .app("mumoshu-microservices-myapp1")
            .ref("v1")
            .cluster("c1")
            .build();
    assertThatThrownBy(() -> deployer.submit(elsewhere))
        .hasMessage(
            "application mumoshu-microservices-myapp1 belongs to project mumoshu-microservices, not other-project");
    assertThat(store.find(new ResourceKey(BuiltinKinds.DEPLOYMENT, "default", "myapp-typo")))
        .isEmpty();
  }

  @Test
  void withoutALiveGatewayDeploySaysHowToStartOne() {
    assertThatThrownBy(() -> deploy("v1", false))
        .hasMessageContaining("no cluster has a gateway heartbeat")
        .hasMessageContaining("start a gateway or name the clusters to deploy to")
        .satisfies(
            e ->
                assertThat(((io.division.core.DivisionException) e).subject())
                    .isEqualTo(Deployer.NO_LIVE_CLUSTER));
  }

  @Test
  void longNamesAreShortenedWithAHashSoTheyStayDistinct() {
    String a =
        DeployNames.installName("a".repeat(40), "cluster-one", "feature/very-long-branch-name-1");
    String b =
        DeployNames.installName("a".repeat(40), "cluster-one", "feature/very-long-branch-name-2");
    assertThat(a)
        .hasSizeLessThanOrEqualTo(63)
        .isNotEqualTo(b)
        .matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    assertThat(DeployNames.resourceName("--project", "mumoshu/microservices"))
        .isEqualTo("mumoshu-microservices");
  }
}
