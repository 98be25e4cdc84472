package io.division.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** README's quickstart must keep working exactly as written. */
class QuickstartIT {
  @Test
  void theQuickstartScriptRunsTheWholeLoopAndSucceeds() throws Exception {
    Path root = CliHarness.repoRoot();
    Process p =
        new ProcessBuilder(root.resolve("scripts/quickstart").toString())
            .directory(root.toFile())
            .redirectErrorStream(true)
            .start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out)
        .contains("approval/myjob1approval condition met")
        .containsPattern("Succeeded\\s+exit code 0")
        .contains("(exit 4)")
        .endsWith("quickstart: OK\n");
  }
}
