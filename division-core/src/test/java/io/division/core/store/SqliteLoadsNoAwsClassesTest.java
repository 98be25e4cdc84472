package io.division.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.division.core.Division;
import io.division.core.config.DivConfig;
import io.division.core.manifest.ManifestReader;
import io.division.core.model.ResourceKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opening and using the embedded store never loads AWS SDK classes: a JVM of its own runs {@link
 * #main} with {@code -verbose:class}, and its class-loading log must name no {@code
 * software.amazon} class. (In this JVM other tests have loaded them already.)
 */
class SqliteLoadsNoAwsClassesTest {
  @TempDir Path home;

  @Test
  void theEmbeddedStoreLoadsNoAwsSdkClass() throws Exception {
    String classPath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Path log = home.resolve("classes.log");
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-verbose:class",
                "-cp",
                classPath,
                SqliteLoadsNoAwsClassesTest.class.getName(),
                home.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("probe finished").isTrue();
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    assertThat(p.exitValue())
        .as(String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size())))
        .isZero();
    assertThat(lines).contains("probe done");
    // The log does list the store's own classes, so an empty check would prove nothing.
    assertThat(lines).anyMatch(l -> l.contains("io.division.core.store.sqlite.SqliteBackend"));
    assertThat(lines).noneMatch(l -> l.contains("software.amazon"));
  }

  /** Everything a CLI call or a pipeline step does with the embedded store. */
  public static void main(String[] args) throws IOException, InterruptedException {
    Path home = Path.of(args[0]);
    DivConfig config = DivConfig.discover(null, Map.of("DIVISION_HOME", home.toString()), home);
    try (Division division = Division.open(config)) {
      division.apply(
          ManifestReader.read(
              "a.yaml", "kind: Approval\nmetadata: {name: a1}\nspec: {requester: ci}\n"),
          null);
      division.get("approval", null, "a1");
      Store store = division.store();
      ResourceKey key = new ResourceKey("Approval", "default", "a1");
      store.appendLog(key, List.of("one"));
      store.readLog(key, 0, 10);
      String rv = store.list(ListQuery.all("Approval")).resourceVersion();
      try (Watch watch = store.watch(new WatchQuery("Approval", null, null, rv))) {
        store.mergePatch(
            key,
            io.division.core.model.Json.object()
                .set("status", io.division.core.model.Json.object().put("phase", "Approved")));
        if (watch.poll(Duration.ofSeconds(10)) == null) throw new AssertionError("no event");
      }
      store.delete(key);
    }
    System.out.println("probe done");
  }
}
