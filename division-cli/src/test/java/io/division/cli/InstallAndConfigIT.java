package io.division.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Installing div from the archive and seeing which configuration is in effect. */
class InstallAndConfigIT {
  @TempDir Path home;
  CliHarness div;

  @BeforeEach
  void setUp() {
    div = new CliHarness(home);
  }

  private static CliHarness.Result run(Path dir, List<String> command)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    pb.environment().put("DIVISION_HOME", dir.resolve("home").toString());
    pb.environment().remove("DIV_CONFIG");
    Process p = pb.start();
    p.getOutputStream().close();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Thread pump =
        new Thread(
            () -> {
              try {
                p.getErrorStream().transferTo(err);
              } catch (IOException e) {
                // ended
              }
            });
    pump.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    pump.join();
    return new CliHarness.Result(p.exitValue(), out, err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void theDistributionArchiveInstallsAndRunsThroughASymlink() throws Exception {
    Path target = CliHarness.repoRoot().resolve("division-cli/target");
    Path archive;
    try (Stream<Path> files = Files.list(target)) {
      archive =
          files
              .filter(p -> p.getFileName().toString().matches("div-.*\\.tar\\.gz"))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no div-*.tar.gz in " + target));
    }
    Path opt = home.resolve("opt");
    Files.createDirectories(opt);
    assertThat(run(opt, List.of("tar", "-xzf", archive.toString())).code()).isZero();
    Path installed;
    try (Stream<Path> dirs = Files.list(opt)) {
      installed = dirs.filter(Files::isDirectory).findFirst().orElseThrow();
    }
    assertThat(installed.resolve("bin/div")).isExecutable();
    assertThat(installed.resolve("lib/div.jar")).exists();

    Path bin = home.resolve("usr-local-bin");
    Files.createDirectories(bin);
    Path link = Files.createSymbolicLink(bin.resolve("div"), installed.resolve("bin/div"));
    CliHarness.Result version = run(home, List.of(link.toString(), "version"));
    assertThat(version.code()).as(version.err()).isZero();
    assertThat(version.out()).isNotBlank();
    CliHarness.Result applied =
        run(home, List.of(link.toString(), "get", "approvals", "-o", "json"));
    assertThat(applied.code()).as(applied.err()).isZero();
    assertThat(applied.out()).contains("\"kind\": \"List\"");
  }

  @Test
  void configViewSaysWhichStoreIsInUseAndWhy() throws Exception {
    CliHarness.Result defaults = div.exec("config", "view");
    assertThat(defaults.code()).as(defaults.err()).isZero();
    assertThat(defaults.out())
        .contains("config:      none   # default: the embedded store under $DIVISION_HOME")
        .contains("store:       sqlite:" + home.toAbsolutePath().resolve("division.db"))
        .contains("namespace:   default   # default");

    // A div.yaml in the working directory is picked up, and config view says so.
    Files.writeString(
        home.resolve("div.yaml"), "metadata: {name: x}\nspec:\n  source: \"sqlite:other.db\"\n");
    CliHarness.Result local = div.exec("config", "view", "-n", "team-a");
    assertThat(local.out())
        .contains("# ./div.yaml")
        .contains("store:       sqlite:" + home.toAbsolutePath().resolve("other.db"))
        .contains("namespace:   team-a   # --namespace");
    Files.delete(home.resolve("div.yaml"));
  }

  @Test
  void initForDynamoDbWritesAWorkingConfigOrSaysWhatIsMissing() throws Exception {
    div.env.remove("AWS_REGION");
    div.env.put("AWS_REGION", "");
    CliHarness.Result missing =
        div.exec("init", "--source", "dynamodb", "--config", home.resolve("d.yaml").toString());
    assertThat(missing.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(missing.err()).contains("DynamoDB needs a region").hasLineCount(1);
    assertThat(home.resolve("d.yaml")).doesNotExist();

    CliHarness.Result written =
        div.exec(
            "init",
            "--source",
            "dynamodb",
            "--region",
            "eu-west-1",
            "--table-prefix",
            "ci",
            "--config",
            home.resolve("conf/d.yaml").toString());
    assertThat(written.code()).as(written.err()).isZero();
    assertThat(Files.readString(home.resolve("conf/d.yaml")))
        .contains("source: \"dynamodb://ci?region=eu-west-1\"");
    CliHarness.Result view =
        div.exec("config", "view", "--config", home.resolve("conf/d.yaml").toString());
    assertThat(view.out())
        .contains("# --config")
        .contains("store:       dynamodb://ci?region=eu-west-1")
        .contains("region:      eu-west-1");
  }

  @Test
  void theQuickstartPinsItsOwnStoreWhateverTheWorkingDirectoryHolds() throws Exception {
    String script = Files.readString(CliHarness.repoRoot().resolve("scripts/quickstart"));
    assertThat(script).contains("export DIV_CONFIG=");
    assertThat(Files.readString(CliHarness.repoRoot().resolve(".gitignore")).lines())
        .contains("div.yaml");
    // An explicit config beats a ./div.yaml that would point elsewhere.
    Files.writeString(
        home.resolve("div.yaml"),
        "metadata: {name: x}\nspec:\n  source: \"dynamodb://?region=us-east-1&endpoint=http://127.0.0.1:1\"\n");
    Files.writeString(
        home.resolve("pinned.yaml"),
        "metadata: {name: y}\nspec:\n  source: \"sqlite:pinned.db\"\n");
    div.env.put("DIV_CONFIG", home.resolve("pinned.yaml").toString());
    CliHarness.Result r = div.exec("get", "approvals", "-o", "name");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(home.resolve("pinned.db")).exists();
  }
}
