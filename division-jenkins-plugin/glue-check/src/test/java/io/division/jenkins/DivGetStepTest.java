package io.division.jenkins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.division.core.Division;
import io.division.core.config.DivConfig;
import io.division.core.manifest.ManifestReader;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DivGetStepTest {
  @TempDir Path dir;
  Division division;
  ScheduledExecutorService timer;
  TestRuntime runtime;

  @BeforeEach
  void open() {
    division = Division.open(new DivConfig(null, "sqlite:" + dir.resolve("d.db"), List.of(), dir));
    timer = Executors.newScheduledThreadPool(1);
    runtime = new TestRuntime(division, timer, Clock.systemUTC());
    division.apply(
        ManifestReader.read(
            "fixture",
            "kind: Approval\nmetadata:\n  name: a1\n  labels:\n    team: web\n---\n"
                + "kind: Approval\nmetadata:\n  name: a2\n  labels:\n    team: db\n"),
        "default");
  }

  @AfterEach
  void close() {
    runtime.close();
    timer.shutdownNow();
    division.close();
  }

  private Object get(Map<String, ?> args) throws Exception {
    return StepRunner.await(
        StepRunner.start(DivGetStep.class, args).context(), Duration.ofSeconds(30));
  }

  @Test
  void byNameReturnsOneMap() throws Exception {
    Object one = get(Map.of("kind", "approvals", "name", "a1"));
    assertThat(one).isInstanceOf(Map.class);
    assertThat(((Map<?, ?>) ((Map<?, ?>) one).get("metadata")).get("name")).isEqualTo("a1");
  }

  @Test
  void bySelectorOrKindReturnsAList() throws Exception {
    assertThat(get(Map.of("kind", "approval", "selector", "team=web"))).asList().hasSize(1);
    assertThat(get(Map.of("kind", "approval"))).asList().hasSize(2);
    assertThat(get(Map.of("kind", "approval", "namespace", "elsewhere"))).asList().isEmpty();
  }

  @Test
  void aMissingResourceFailsUnlessIgnored() throws Exception {
    assertThatThrownBy(() -> get(Map.of("kind", "approval", "name", "nope")))
        .isInstanceOf(DivisionStepException.class)
        .hasMessage("divGet: approval \"nope\" not found in namespace \"default\"");
    assertThat(get(Map.of("kind", "approval", "name", "nope", "ignoreNotFound", true))).isNull();
  }

  @Test
  void anUnknownKindOrBadSelectorIsOneLine() {
    assertThatThrownBy(() -> get(Map.of("kind", "widgetz")))
        .isInstanceOf(DivisionStepException.class)
        .hasMessageStartingWith("divGet: ");
    assertThatThrownBy(() -> get(Map.of("kind", "approval", "selector", "a in (")))
        .isInstanceOf(DivisionStepException.class)
        .hasMessageStartingWith("divGet: ");
  }
}
