package io.division.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A training run for the class-data-sharing archive that {@code ./div} builds after each build: it
 * exercises the common commands against a throw-away store so that the archive holds the classes
 * those commands load. Not a user command.
 */
public final class CdsTraining {
  private CdsTraining() {}

  public static void main(String[] args) throws IOException {
    Path home = Files.createTempDirectory("div-cds-training");
    try {
      PrintStream sink =
          new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
      // The training writes: it must never reach a real store. A div.yaml in the directory the
      // launcher was started from would be found before the defaults, so an empty configuration
      // in the throw-away home is named instead: the embedded store under that home.
      Path config = Files.writeString(home.resolve("div.yaml"), "");
      Map<String, String> env =
          Map.of("DIVISION_HOME", home.toString(), "DIV_CONFIG", config.toString());
      String yaml =
          "kind: Approval\nmetadata:\n  name: train\n  labels: {team: web}\nspec: {requester: ci}\n";
      String json =
          "{\"kind\":\"Approval\",\"metadata\":{\"name\":\"train2\"},\"status\":{\"phase\":\"Approved\"}}";
      run(sink, env, yaml, "apply", "-f", "-");
      run(sink, env, json, "apply", "-f", "-");
      run(sink, env, "", "get", "approvals");
      run(sink, env, "", "get", "approvals", "-l", "team=web", "-o", "wide");
      run(sink, env, "", "get", "approval", "train", "-o", "json");
      run(sink, env, "", "get", "approvals", "-o", "yaml");
      run(sink, env, "", "get", "approvals", "-o", "name");
      run(sink, env, "", "get", "approvals", "-o", "jsonpath={.items[*].metadata.name}");
      run(
          sink,
          env,
          "",
          "wait",
          "approval",
          "train2",
          "status.phase = 'Approved'",
          "--timeout",
          "5s");
      run(sink, env, "line\n", "logs", "write", "approval", "train", "-f", "-");
      run(sink, env, "", "logs", "read", "approval", "train");
      run(
          sink,
          env,
          "",
          "patch",
          "approval",
          "train",
          "--type",
          "merge",
          "-p",
          "{\"status\":{\"phase\":\"x\"}}");
      run(sink, env, "", "delete", "approval", "train");
      run(sink, env, "", "get", "approval", "missing");
      run(
          sink,
          env,
          "kind: Application\nmetadata: {name: a}\nspec: {project: p}\n",
          "apply",
          "-f",
          "-");
      run(
          sink,
          env,
          "",
          "deploy",
          "--project",
          "p",
          "--app",
          "a",
          "--ref",
          "v1",
          "--cluster",
          "c",
          "--no-wait");
      run(sink, env, "", "get", "deployments", "-o", "json");
      run(sink, env, "", "version");
      run(sink, env, "", "--help");
    } finally {
      try (Stream<Path> files = Files.walk(home)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static void run(PrintStream sink, Map<String, String> env, String stdin, String... args) {
    new Div(sink, sink, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), env)
        .run(args);
  }
}
