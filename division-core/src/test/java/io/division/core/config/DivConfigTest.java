package io.division.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DivConfigTest {
  @TempDir Path dir;

  @Test
  void withoutAnyFileTheEmbeddedStoreUnderDivisionHomeIsUsed() {
    DivConfig c = DivConfig.discover(null, Map.of("DIVISION_HOME", dir.toString()), dir);
    assertThat(c.storeUrl()).isEqualTo("sqlite:" + dir.resolve("division.db"));
  }

  @Test
  void explicitFileWinsOverEnvironmentWhichWinsOverTheWorkingDirectory() throws Exception {
    Path local = Files.writeString(dir.resolve("div.yaml"), "spec: {source: 'sqlite:local.db'}\n");
    Path fromEnv = Files.writeString(dir.resolve("env.yaml"), "spec: {source: 'sqlite:env.db'}\n");
    Path explicit =
        Files.writeString(
            dir.resolve("explicit.yaml"), "spec: {source: 'sqlite:/abs/explicit.db'}\n");
    Map<String, String> env =
        Map.of("DIV_CONFIG", fromEnv.toString(), "DIVISION_HOME", dir.toString());
    assertThat(DivConfig.discover(explicit, env, dir).storeUrl())
        .isEqualTo("sqlite:/abs/explicit.db");
    assertThat(DivConfig.discover(null, env, dir).storeUrl())
        .isEqualTo("sqlite:" + dir.resolve("env.db"));
    assertThat(DivConfig.discover(null, Map.of(), dir).file()).isEqualTo(local);
  }

  @Test
  void aMissingOrMalformedFileIsAClearError() throws Exception {
    assertThatThrownBy(() -> DivConfig.load(dir.resolve("nope.yaml"), dir))
        .hasMessageContaining("does not exist");
    Path bad = Files.writeString(dir.resolve("bad.yaml"), "spec: [unclosed\n");
    assertThatThrownBy(() -> DivConfig.load(bad, dir))
        .hasMessageStartingWith(bad + ": invalid YAML");
  }

  @Test
  void anUnsupportedStoreUrlIsRejected() {
    assertThatThrownBy(() -> StoreUrls.open("postgres://x", dir))
        .hasMessageContaining("unsupported store URL \"postgres://x\"");
  }
}
