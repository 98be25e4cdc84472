package io.division.cli;

import io.division.core.store.dynamodb.DynamoDbLocalServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs div in-process or as a separate {@code ./div} process against a private DIVISION_HOME. */
final class CliHarness {
  record Result(int code, String out, String err) {}

  final Path home;
  final Map<String, String> env = new HashMap<>();

  CliHarness(Path home) {
    this.home = home;
    env.put("DIVISION_HOME", home.toString());
  }

  /**
   * Points every div this harness runs at a fresh table prefix on DynamoDB Local, through a
   * div.yaml in its home and the credentials DynamoDB Local accepts.
   */
  CliHarness onDynamoDb(DynamoDbLocalServer server) throws IOException {
    Path config = home.resolve("div.yaml");
    Files.writeString(
        config,
        "metadata: {name: dynamic}\nspec:\n  source: \""
            + server.url(DynamoDbLocalServer.uniquePrefix())
            + "\"\n");
    env.put("DIV_CONFIG", config.toString());
    env.put("AWS_ACCESS_KEY_ID", DynamoDbLocalServer.ACCESS_KEY_ID);
    env.put("AWS_SECRET_ACCESS_KEY", DynamoDbLocalServer.SECRET_ACCESS_KEY);
    env.put("AWS_REGION", "us-east-1");
    return this;
  }

  Result run(String... args) {
    return runWithInput("", args);
  }

  Result runWithInput(String stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        new Div(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                env)
            .run(args);
    return new Result(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  Path write(String name, String content) throws IOException {
    Path p = home.resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
    return p;
  }

  /** The repository root, where ./div lives (tests run in the module's folder). */
  static Path repoRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isExecutable(dir.resolve("div"))) dir = dir.getParent();
    if (dir == null)
      throw new IllegalStateException("./div not found above " + Path.of("").toAbsolutePath());
    return dir;
  }

  ProcessBuilder process(List<String> args) {
    List<String> command = new java.util.ArrayList<>();
    command.add(repoRoot().resolve("div").toString());
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command).directory(home.toFile());
    pb.environment().putAll(env);
    return pb;
  }

  Result exec(String... args) throws IOException, InterruptedException {
    return execWithInput("", args);
  }

  Result execWithInput(String stdin, String... args) throws IOException, InterruptedException {
    Process p = process(List.of(args)).start();
    p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    // Both streams are pumped by threads, so a div that never ends cannot block the test past the
    // limit below.
    Thread outPump = pump(p.getInputStream(), out);
    Thread errPump = pump(p.getErrorStream(), err);
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("div " + String.join(" ", args) + " did not finish within 120s");
    }
    outPump.join();
    errPump.join();
    return new Result(
        p.exitValue(), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static Thread pump(java.io.InputStream from, ByteArrayOutputStream to) {
    Thread t =
        new Thread(
            () -> {
              try {
                from.transferTo(to);
              } catch (IOException e) {
                // the process ended
              }
            });
    t.start();
    return t;
  }
}
