package io.division.jenkins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.division.core.Division;
import io.division.core.config.DivConfig;
import io.division.core.deploy.status.DeploymentSpec;
import io.division.core.kind.BuiltinKinds;
import io.division.core.manifest.ManifestReader;
import io.division.core.model.ResourceKey;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** divDeploy against the embedded store and two real gateways with the process executor. */
class DivDeployStepTest {
  static final Duration LONG = Duration.ofSeconds(60);
  static final String APP = "mumoshu-microservices-myapp1";

  @TempDir Path dir;
  Division division;
  ScheduledThreadPoolExecutor timer;
  TestRuntime runtime;
  TestGateways gateways;

  @BeforeEach
  void open() throws Exception {
    division = openStore();
    timer = TestSupport.timer();
    runtime = new TestRuntime(division, timer, Clock.systemUTC());
    division.apply(
        ManifestReader.readPath(TestGateways.REPO.resolve("examples/project.yaml")), "default");
    gateways = new TestGateways(division.store(), dir);
    gateways.start("prod-eu");
    gateways.start("prod-us");
  }

  @AfterEach
  void close() throws Exception {
    gateways.close();
    runtime.close();
    timer.shutdownNow();
    division.close();
  }

  Division openStore() {
    return Division.open(new DivConfig(null, "sqlite:" + dir.resolve("d.db"), List.of(), dir));
  }

  static Map<String, Object> deploy(String ref, List<String> clusters) {
    return Map.of(
        "project", "mumoshu-microservices",
        "app", APP,
        "ref", ref,
        "clusters", clusters,
        "timeout", "2m");
  }

  static long count(String log, String text) {
    return log.lines().filter(l -> l.contains(text)).count();
  }

  @Test
  void deploysToTwoClustersStreamingTheirLogs() throws Exception {
    var started =
        StepRunner.start(DivDeployStep.class, deploy("abc123", List.of("prod-eu", "prod-us")));
    assertThat(started.finishedAtStart()).isFalse();
    Map<?, ?> result = (Map<?, ?>) StepRunner.await(started.context(), LONG);
    assertThat(result.get("state")).isEqualTo("SUCCEEDED");
    assertThat((List<?>) result.get("targets")).hasSize(2);
    String log = started.context().log();
    assertThat(log)
        .contains("divDeploy: deploying abc123 of project mumoshu-microservices")
        .contains("[prod-eu " + APP + "] deploying app " + APP)
        .contains("[prod-us " + APP + "] deploying app " + APP)
        .contains("[prod-eu " + APP + "] deployed")
        .contains("[prod-us " + APP + "] deployed");
    assertThat(count(log, "] deployed")).isEqualTo(2);
  }

  @Test
  void aFailedInstallFailsTheBuildNamingIt() throws Exception {
    var started =
        StepRunner.start(DivDeployStep.class, deploy("broken-7", List.of("prod-eu", "prod-us")));
    assertThatThrownBy(() -> StepRunner.await(started.context(), LONG))
        .isInstanceOf(DivisionStepException.class)
        .hasMessageStartingWith("divDeploy: deploy of broken-7 failed on")
        .hasMessageContaining("install ")
        .hasMessageContaining("Failed")
        .satisfies(e -> assertThat(((DivisionStepException) e).getReason()).isEqualTo("FAILED"));
    assertThat(started.context().log())
        .contains("[prod-eu " + APP + "] error: ref broken-7 does not build");
  }

  @Test
  void resumesFromItsSerializedSubmissionAfterARestart() throws Exception {
    var started =
        StepRunner.start(DivDeployStep.class, deploy("def456", List.of("prod-eu", "prod-us")));
    await().until(() -> ((DivDeployExecution) started.execution()).submission() != null);
    // The controller stops: no pass of the old execution runs any more.
    timer.shutdownNow();
    assertThat(timer.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    runtime.close();
    byte[] saved = TestSupport.serialize(started.execution());

    timer = TestSupport.timer();
    runtime = new TestRuntime(division, timer, Clock.systemUTC());
    StepExecution resumed = TestSupport.deserialize(saved);
    resumed.onResume();
    Map<?, ?> result = (Map<?, ?>) StepRunner.await(started.context(), LONG);
    assertThat(result.get("state")).isEqualTo("SUCCEEDED");
    String log = started.context().log();
    assertThat(count(log, "divDeploy: deploying def456")).isEqualTo(1);
    assertThat(count(log, "[prod-eu " + APP + "] deployed")).isEqualTo(1);
    assertThat(count(log, "[prod-us " + APP + "] deployed")).isEqualTo(1);
  }

  @Test
  void stopWithdrawsTheDeploySoNoGatewayStartsItLater() throws Exception {
    var started = StepRunner.start(DivDeployStep.class, deploy("ghi789", List.of("nowhere")));
    await().until(() -> ((DivDeployExecution) started.execution()).submission() != null);
    started.execution().stop(new InterruptedException("aborted"));
    assertThatThrownBy(() -> StepRunner.await(started.context(), LONG))
        .isInstanceOf(InterruptedException.class);
    ResourceKey deployment = new ResourceKey(BuiltinKinds.DEPLOYMENT, "default", APP);
    await()
        .atMost(LONG)
        .until(() -> DeploymentSpec.from(division.store().get(deployment)).cancelled());
  }

  @Test
  void badInputFailsAtOnceInOneLine() {
    assertThatThrownBy(() -> StepRunner.start(DivDeployStep.class, Map.of("project", "p")))
        .isInstanceOf(DivisionStepException.class)
        .hasMessage("divDeploy: ref is required");
    assertThatThrownBy(
            () ->
                StepRunner.start(
                    DivDeployStep.class, Map.of("project", "p", "ref", "a..b", "app", "x")))
        .isInstanceOf(DivisionStepException.class)
        .hasMessageStartingWith("divDeploy: ");
    assertThatThrownBy(
            () ->
                StepRunner.start(
                    DivDeployStep.class,
                    Map.of("project", "p", "ref", "r", "cluster", List.of("a"))))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
