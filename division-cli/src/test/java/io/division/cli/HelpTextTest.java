package io.division.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Every command's help and the bash completion script, against the copies under
 * src/test/resources/help: what a user reads and what completion offers change only on purpose.
 * After a deliberate change, rewrite the copies with {@code -Ddivision.updateHelp=true} and review
 * the diff.
 */
class HelpTextTest {
  private static final Path EXPECTED = Path.of("src/test/resources/help");
  private static final boolean UPDATE = Boolean.getBoolean("division.updateHelp");

  @TempDir Path home;

  @Test
  void everyCommandsHelpIsAsRecorded() throws IOException {
    List<List<String>> paths = new ArrayList<>();
    collect(
        new Div(new PrintStream(PrintStream.nullOutputStream()), System.err, System.in, Map.of())
            .commandLine(),
        new ArrayList<>(),
        paths);
    assertThat(paths).hasSizeGreaterThan(20);
    List<String> mismatched = new ArrayList<>();
    for (List<String> path : paths) {
      List<String> args = new ArrayList<>(path);
      args.add("--help");
      CliHarness.Result r = harness().run(args.toArray(String[]::new));
      assertThat(r.code()).as("div %s --help", String.join(" ", path)).isZero();
      String file = path.isEmpty() ? "div.txt" : "div-" + String.join("-", path) + ".txt";
      if (!matches(file, r.out())) mismatched.add(file);
    }
    assertThat(mismatched).as("help differing from src/test/resources/help").isEmpty();
  }

  @Test
  void bashCompletionIsAsRecorded() throws IOException {
    CliHarness.Result r = harness().run("completion", "bash");
    assertThat(r.code()).isZero();
    assertThat(matches("completion-bash.txt", r.out())).as("completion-bash.txt").isTrue();
  }

  private CliHarness harness() {
    CliHarness h = new CliHarness(home);
    h.env.put("COLUMNS", "100"); // a fixed width: help wraps to the terminal's
    return h;
  }

  /** Every command path under {@code cl}, the root first, without the help command itself. */
  private static void collect(CommandLine cl, List<String> path, List<List<String>> into) {
    into.add(List.copyOf(path));
    cl.getSubcommands()
        .forEach(
            (name, sub) -> {
              if (name.equals("help")) return;
              List<String> next = new ArrayList<>(path);
              next.add(name);
              collect(sub, next, into);
            });
  }

  private static boolean matches(String file, String actual) throws IOException {
    Path expected = EXPECTED.resolve(file);
    if (UPDATE) {
      Files.createDirectories(EXPECTED);
      Files.writeString(expected, actual, StandardCharsets.UTF_8);
      return true;
    }
    return Files.exists(expected)
        && Files.readString(expected, StandardCharsets.UTF_8).equals(actual);
  }
}
