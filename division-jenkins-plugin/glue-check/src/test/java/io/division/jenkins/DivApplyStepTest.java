package io.division.jenkins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.division.core.Division;
import io.division.core.config.DivConfig;
import io.division.core.model.ResourceKey;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DivApplyStepTest {
  @TempDir Path dir;
  Division division;
  ScheduledExecutorService timer;
  TestRuntime runtime;

  @BeforeEach
  void open() {
    division = Division.open(new DivConfig(null, "sqlite:" + dir.resolve("d.db"), List.of(), dir));
    timer = Executors.newScheduledThreadPool(1);
    runtime = new TestRuntime(division, timer, Clock.systemUTC());
  }

  @AfterEach
  void close() {
    runtime.close();
    timer.shutdownNow();
    division.close();
  }

  @Test
  void appliesTextAndReturnsTheResourcesAsMaps() throws Exception {
    var started =
        StepRunner.start(
            DivApplyStep.class,
            Map.of(
                "text",
                "kind: Approval\nmetadata:\n  name: a1\nspec:\n  reason: ship it\n---\n"
                    + "kind: Approval\nmetadata:\n  name: a2\n"));
    assertThat(started.finishedAtStart()).isFalse();
    Object result = StepRunner.await(started.context(), java.time.Duration.ofSeconds(30));
    assertThat(result).isInstanceOf(List.class);
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> maps = (List<Map<String, Object>>) result;
    assertThat(maps).hasSize(2);
    assertThat(maps.get(0)).containsEntry("kind", "Approval");
    assertThat(((Map<?, ?>) maps.get(0).get("spec")).get("reason")).isEqualTo("ship it");
    assertThat(((Map<?, ?>) maps.get(0).get("metadata")).get("resourceVersion")).isNotNull();
    assertThat(started.context().log())
        .contains("approval/a1 created")
        .contains("approval/a2 created");
    assertThat(division.store().find(new ResourceKey("Approval", "default", "a2"))).isPresent();
  }

  @Test
  void appliesAMapWithGroovyStringsIntoTheStepsNamespace() throws Exception {
    CharSequence interpolated = new StringBuilder("release-42"); // a GString is a CharSequence
    DivApplyStep step = new DivApplyStep();
    step.setNamespace("team-a");
    step.setResource(
        Map.of(
            "kind", "approval",
            "metadata", Map.of("name", interpolated, "labels", Map.of("job", "web")),
            "spec", Map.of("requester", "ci", "approvers", List.of("alice"))));
    Object result = StepRunner.run(step);
    assertThat(result).asList().hasSize(1);
    var stored = division.store().get(new ResourceKey("Approval", "team-a", "release-42"));
    assertThat(stored.spec().get("approvers").get(0).asText()).isEqualTo("alice");
  }

  @Test
  void anInvalidDocumentWritesNothingAndNamesWhere() throws Exception {
    var started =
        StepRunner.start(
            DivApplyStep.class,
            Map.of(
                "text",
                "kind: Approval\nmetadata:\n  name: ok\n---\nkind: Approval\nmetadata:\n  name: Bad_Name\n"));
    assertThatThrownBy(() -> StepRunner.await(started.context(), java.time.Duration.ofSeconds(30)))
        .isInstanceOf(DivisionStepException.class)
        .hasMessageStartingWith("divApply: divApply(text:)")
        .hasMessageContaining("Bad_Name")
        .satisfies(e -> assertThat(((DivisionStepException) e).getReason()).isEqualTo("INVALID"));
    assertThat(division.store().find(new ResourceKey("Approval", "default", "ok"))).isEmpty();
  }

  @Test
  void exactlyOneSourceIsRequiredAndAFileNeedsAWorkspace() throws Exception {
    assertThatThrownBy(() -> StepRunner.start(DivApplyStep.class, Map.of()))
        .hasMessageContaining("exactly one of file, text or resource");
    assertThatThrownBy(
            () -> StepRunner.start(DivApplyStep.class, Map.of("text", "x", "file", "a.yaml")))
        .hasMessageContaining("exactly one of file, text or resource");
    var outsideNode = StepRunner.start(DivApplyStep.class, Map.of("file", "a.yaml"));
    assertThatThrownBy(
            () -> StepRunner.await(outsideNode.context(), java.time.Duration.ofSeconds(30)))
        .hasMessageContaining("needs a workspace: call divApply inside node {}");
  }

  @Test
  void aMisspelledParameterIsAnErrorAsInJenkins() {
    assertThatThrownBy(() -> StepRunner.start(DivApplyStep.class, Map.of("txt", "x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Unknown parameter(s)")
        .hasMessageContaining("txt");
  }
}
