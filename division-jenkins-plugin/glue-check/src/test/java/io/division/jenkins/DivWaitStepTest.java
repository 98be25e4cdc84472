package io.division.jenkins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.division.core.Division;
import io.division.core.approval.Approvals;
import io.division.core.approval.Identity;
import io.division.core.config.DivConfig;
import io.division.core.manifest.ManifestReader;
import io.division.core.model.ResourceKey;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DivWaitStepTest {
  static final Duration LONG = Duration.ofSeconds(30);
  static final ResourceKey APPROVAL = new ResourceKey("Approval", "default", "release-42");

  @TempDir Path dir;
  Division division;
  ScheduledThreadPoolExecutor timer;
  TestRuntime runtime;

  @BeforeEach
  void open() {
    division = openStore();
    timer = TestSupport.timer();
    runtime = new TestRuntime(division, timer, Clock.systemUTC());
    apply("kind: Approval\nmetadata:\n  name: release-42\nspec:\n  requester: ci\n");
  }

  @AfterEach
  void close() {
    runtime.closeWaits();
    runtime.close();
    timer.shutdownNow();
    division.close();
  }

  Division openStore() {
    return Division.open(new DivConfig(null, "sqlite:" + dir.resolve("d.db"), List.of(), dir));
  }

  void apply(String yaml) {
    division.apply(ManifestReader.read("fixture", yaml), "default");
  }

  static Map<String, Object> approvalWait() {
    return Map.of(
        "kind", "approval",
        "name", "release-42",
        "until", "status.phase = 'Approved'",
        "failWhen", "status.phase = 'Rejected'",
        "timeout", "1h");
  }

  @Test
  void waitsWithoutAThreadAndCompletesWhenSomeoneApproves() throws Exception {
    var started = StepRunner.start(DivWaitStep.class, approvalWait());
    assertThat(started.finishedAtStart()).isFalse();
    await().until(() -> started.context().log().contains("divWait: waiting for"));
    assertThat(started.context().log())
        .contains("approval/release-42: status.phase = 'Approved'")
        .contains("div approve approval release-42 -n default")
        .contains("on this build's page (Approval release-42)");
    assertThat(runtime.waitingApprovals).extracting(ApprovalRequest::name).contains("release-42");
    assertThat(started.execution().getStatus())
        .contains("waiting for approval/release-42")
        .contains("div approve");
    assertThat(started.context().outcome()).isNotDone();

    Thread approver =
        new Thread(
            () ->
                Approvals.approve(
                    division.store(),
                    APPROVAL,
                    Identity.declared("alice"),
                    "ship it",
                    Approvals.Signing.NONE,
                    Clock.systemUTC()));
    approver.start();
    approver.join();

    Object result = StepRunner.await(started.context(), LONG);
    assertThat(result).isInstanceOf(Map.class);
    Map<?, ?> status = (Map<?, ?>) ((Map<?, ?>) result).get("status");
    assertThat(status.get("phase")).isEqualTo("Approved");
    assertThat(status.get("approvedBy")).isEqualTo("alice");
    assertThat(runtime.endedApprovals).extracting(ApprovalRequest::name).contains("release-42");
    assertThat(started.context().build().completions.get()).isEqualTo(1);
  }

  @Test
  void survivesASerializationRoundTripAndARestart() throws Exception {
    var started = StepRunner.start(DivWaitStep.class, approvalWait());
    await().until(() -> started.context().log().contains("divWait: waiting for"));
    byte[] saved = TestSupport.serialize(started.execution());

    // The controller goes down: its pollers stop, its store closes; nothing is reported.
    runtime.closeWaits();
    runtime.close();
    timer.shutdownNow();
    division.close();
    assertThat(started.context().outcome()).isNotDone();

    division = openStore();
    timer = TestSupport.timer();
    runtime = new TestRuntime(division, timer, Clock.systemUTC());
    StepExecution resumed = TestSupport.deserialize(saved);
    assertThat(resumed).isNotSameAs(started.execution());
    resumed.onResume();
    await().until(() -> started.context().log().contains("divWait: resumed waiting for"));

    Approvals.approve(
        division.store(),
        APPROVAL,
        Identity.declared("bob"),
        null,
        Approvals.Signing.NONE,
        Clock.systemUTC());
    Map<?, ?> result = (Map<?, ?>) StepRunner.await(started.context(), LONG);
    assertThat(((Map<?, ?>) result.get("status")).get("approvedBy")).isEqualTo("bob");
    assertThat(started.context().build().completions.get()).isEqualTo(1);
  }

  @Test
  void stopCancelsTheWait() throws Exception {
    var started = StepRunner.start(DivWaitStep.class, approvalWait());
    await().until(() -> started.context().log().contains("divWait: waiting for"));
    started.execution().stop(new InterruptedException("aborted by alice"));
    assertThatThrownBy(() -> StepRunner.await(started.context(), LONG))
        .isInstanceOf(InterruptedException.class)
        .hasMessage("aborted by alice");
    assertThat(runtime.endedApprovals).hasSize(1);
    // An approval after the abort no longer reaches the step: it reported once, and only the abort.
    Approvals.approve(
        division.store(),
        APPROVAL,
        Identity.declared("alice"),
        null,
        Approvals.Signing.NONE,
        Clock.systemUTC());
    await()
        .during(Duration.ofMillis(600))
        .until(() -> started.context().build().completions.get() == 1);
  }

  @Test
  void aRejectionFailsTheBuildWithTheFailureCondition() throws Exception {
    var started = StepRunner.start(DivWaitStep.class, approvalWait());
    await().until(() -> started.context().log().contains("divWait: waiting for"));
    Approvals.reject(
        division.store(),
        APPROVAL,
        Identity.declared("carol"),
        "not today",
        Approvals.Signing.NONE,
        Clock.systemUTC());
    assertThatThrownBy(() -> StepRunner.await(started.context(), LONG))
        .isInstanceOf(DivisionStepException.class)
        .hasMessageStartingWith("divWait: approval/release-42 met the failure condition")
        .hasMessageContaining("Rejected")
        .satisfies(e -> assertThat(((DivisionStepException) e).getReason()).isEqualTo("FAILED"));
  }

  @Test
  void aDeletionFailsTheBuildSayingSo() throws Exception {
    var started = StepRunner.start(DivWaitStep.class, approvalWait());
    await().until(() -> started.context().log().contains("divWait: waiting for"));
    // Seen at least once, so that its absence is a deletion.
    await().until(() -> ((DivWaitExecution) started.execution()).spec().lastSeenVersion() != null);
    division.store().delete(APPROVAL);
    assertThatThrownBy(() -> StepRunner.await(started.context(), LONG))
        .isInstanceOf(DivisionStepException.class)
        .hasMessageContaining("approval/release-42 was deleted while waiting for")
        .satisfies(e -> assertThat(((DivisionStepException) e).getReason()).isEqualTo("NOT_FOUND"));
  }

  @Test
  void aTimeoutFailsTheBuildAsATimeout() throws Exception {
    Map<String, Object> args = new java.util.HashMap<>(approvalWait());
    args.put("timeout", "300ms");
    var started = StepRunner.start(DivWaitStep.class, args);
    assertThatThrownBy(() -> StepRunner.await(started.context(), LONG))
        .isInstanceOf(DivisionStepException.class)
        .hasMessageContaining("timed out after 300ms waiting for approval/release-42")
        .satisfies(e -> assertThat(((DivisionStepException) e).getReason()).isEqualTo("TIMEOUT"));
  }

  @Test
  void writesAProgressLineAndCopiesTheResourcesLog() throws Exception {
    Map<String, Object> args = new java.util.HashMap<>(approvalWait());
    args.put("progressEvery", "200ms");
    args.put("logs", true);
    var started = StepRunner.start(DivWaitStep.class, args);
    await().until(() -> started.context().log().contains("divWait: waiting for"));
    division.store().appendLog(APPROVAL, List.of("asked the release manager"));
    await()
        .until(
            () ->
                started.context().log().contains("still waiting for approval/release-42")
                    && started
                        .context()
                        .log()
                        .contains("[approval/release-42] asked the release manager"));
    assertThat(started.context().log()).contains("times out in");
    started.execution().stop(new CancellationException("done"));
  }

  @Test
  void waitsForDeletionOrCreationWithKubectlForms() throws Exception {
    var creation =
        StepRunner.start(
            DivWaitStep.class,
            Map.of("kind", "approval", "name", "later", "forCondition", "create"));
    var deletion =
        StepRunner.start(
            DivWaitStep.class,
            Map.of("kind", "approval", "name", "release-42", "forCondition", "delete"));
    await().until(() -> deletion.context().log().contains("divWait: waiting for"));
    apply("kind: Approval\nmetadata:\n  name: later\n");
    division.store().delete(APPROVAL);
    assertThat(((Map<?, ?>) StepRunner.await(creation.context(), LONG)).containsKey("metadata"))
        .isTrue();
    assertThat(StepRunner.await(deletion.context(), LONG)).isNull();
  }

  @Test
  void badInputFailsAtOnceInOneLine() {
    assertThatThrownBy(
            () -> StepRunner.start(DivWaitStep.class, Map.of("kind", "approval", "name", "x")))
        .isInstanceOf(DivisionStepException.class)
        .hasMessage("divWait: say what to wait for: until: or forCondition:");
    assertThatThrownBy(
            () ->
                StepRunner.start(
                    DivWaitStep.class,
                    Map.of("kind", "approval", "name", "x", "until", "status.phase = = 'x'")))
        .isInstanceOf(DivisionStepException.class)
        .hasMessageStartingWith("divWait: ");
    assertThatThrownBy(
            () ->
                StepRunner.start(
                    DivWaitStep.class,
                    Map.of("kind", "approval", "name", "x", "until", "a = 'b'", "timeout", "soon")))
        .isInstanceOf(DivisionStepException.class)
        .hasMessageStartingWith("divWait: ");
  }

  @Test
  void fiveHundredWaitsShareOnePollerOnTwoThreads() throws Exception {
    StringBuilder yaml = new StringBuilder();
    for (int i = 0; i < 500; i++) {
      yaml.append("---\nkind: Approval\nmetadata:\n  name: a").append(i).append('\n');
    }
    apply(yaml.toString());
    List<StepRunner.Started> waits = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      waits.add(
          StepRunner.start(
              DivWaitStep.class,
              Map.of("kind", "approval", "name", "a" + i, "until", "status.phase = 'Approved'")));
    }
    await()
        .atMost(LONG)
        .until(() -> waits.stream().allMatch(w -> w.context().log().contains("waiting for")));
    assertThat(runtime.waits(division).pollers()).isEqualTo(1);
    assertThat(timer.getPoolSize()).isLessThanOrEqualTo(2);
    for (int i = 0; i < 500; i++) {
      Approvals.approve(
          division.store(),
          new ResourceKey("Approval", "default", "a" + i),
          Identity.declared("alice"),
          null,
          Approvals.Signing.NONE,
          Clock.systemUTC());
    }
    for (StepRunner.Started w : waits) {
      assertThat(((Map<?, ?>) StepRunner.await(w.context(), LONG)).containsKey("status")).isTrue();
    }
    assertThat(timer.getLargestPoolSize()).isLessThanOrEqualTo(2);
  }
}
