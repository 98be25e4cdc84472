package io.division.jenkins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.division.core.Division;
import io.division.core.config.DivConfig;
import io.division.core.manifest.ManifestReader;
import io.division.core.model.ResourceKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/Jenkinsfile, run as Groovy: its Division steps are the plugin's steps over an embedded
 * store, two real gateways run the installs, and a person approves through the same decision code
 * as the build page's Approve button. A renamed step parameter in the file fails this test.
 */
class ExampleJenkinsfileTest {
  static final Path JENKINSFILE = TestGateways.REPO.resolve("examples/Jenkinsfile").normalize();
  static final ResourceKey APPROVAL = new ResourceKey("Approval", "default", "myapp1-42");

  @TempDir Path dir;
  Division division;
  ScheduledThreadPoolExecutor timer;
  TestRuntime runtime;
  TestGateways gateways;
  JenkinsfileRunner runner;

  @BeforeEach
  void open() throws Exception {
    division = Division.open(new DivConfig(null, "sqlite:" + dir.resolve("d.db"), List.of(), dir));
    timer = TestSupport.timer();
    runtime = new TestRuntime(division, timer, Clock.systemUTC());
    runtime.controllerHome = dir.resolve("jenkins-home/division");
    division.apply(
        ManifestReader.readPath(TestGateways.REPO.resolve("examples/project.yaml")), "default");
    gateways = new TestGateways(division.store(), dir);
    gateways.start("prod-eu");
    gateways.start("prod-us");
    runner = new JenkinsfileRunner();
    runner.env.put("BUILD_NUMBER", "42");
    runner.env.put("JOB_NAME", "delivery");
    runner.checkoutResult = Map.of("GIT_COMMIT", "3f2a9c1");
  }

  @AfterEach
  void close() throws Exception {
    gateways.close();
    runtime.closeWaits();
    runtime.close();
    timer.shutdownNow();
    division.close();
  }

  /** A person who decides once the build page offers the approval. */
  CompletableFuture<Void> decideWhenAsked(String user, boolean approve) {
    return CompletableFuture.runAsync(
        () -> {
          await()
              .atMost(Duration.ofMinutes(1))
              .until(
                  () ->
                      runtime.waitingApprovals.stream()
                          .anyMatch(r -> r.name().equals("myapp1-42")));
          ApprovalDecisions.decide(
              division.store(),
              APPROVAL,
              new ApprovalDecisions.Decider(user, Set.of(), false, "hudson.model.Item.Build"),
              approve,
              approve ? "go" : "not now",
              runtime.signingKey(),
              Clock.systemUTC());
        });
  }

  @Test
  void theApprovalThenDeployFlowRuns() throws Exception {
    CompletableFuture<Void> alice = decideWhenAsked("alice", true);
    runner.run(JENKINSFILE);
    alice.get();

    assertThat(runner.stages).containsExactly("Build", "Approval", "Deploy");
    assertThat(runner.shell).containsExactly("./mvnw -B verify");
    assertThat(runner.functionsCalled()).containsExactly("divApply", "divWait", "divDeploy");
    // The wait and the deploy hold no executor: they run outside node {}.
    assertThat(runner.calls)
        .filteredOn(c -> !c.function().equals("divApply"))
        .allMatch(c -> !c.insideNode());
    assertThat(runner.echoed).contains("Approved by alice", "Deployed 3f2a9c1 to prod-eu, prod-us");
    var approval = division.store().get(APPROVAL);
    assertThat(approval.specText("reason"))
        .isEqualTo("deploy mumoshu-microservices-myapp1 at 3f2a9c1 to prod-eu and prod-us");
    assertThat(runner.log())
        .contains("divWait: waiting for approval/myapp1-42")
        .contains("[prod-eu mumoshu-microservices-myapp1] deployed")
        .contains("[prod-us mumoshu-microservices-myapp1] deployed");
  }

  @Test
  void aRejectionStopsThePipelineBeforeTheDeploy() {
    CompletableFuture<Void> bob = decideWhenAsked("bob", false);
    assertThatThrownBy(() -> runner.run(JENKINSFILE))
        .isInstanceOf(DivisionStepException.class)
        .hasMessageContaining("approval/myapp1-42 met the failure condition");
    bob.join();
    assertThat(runner.functionsCalled()).doesNotContain("divDeploy");
  }

  @Test
  void aRenamedStepParameterFailsAsJenkinsWould() throws Exception {
    Path renamed = dir.resolve("Jenkinsfile");
    Files.writeString(renamed, Files.readString(JENKINSFILE).replace("failWhen:", "failIf:"));
    assertThatThrownBy(() -> runner.run(renamed))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Unknown parameter(s)")
        .hasMessageContaining("failIf");
  }
}
