package io.division.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code div logs write -f -} stopped by SIGINT or SIGTERM keeps every line that reached its input
 * before the signal: a real ./div process, a real pipe, a real signal.
 */
class LogsSignalIT {
  private static final int TRIALS = 10;
  private static final int LINES = 1000;

  @TempDir Path home;
  CliHarness div;

  @BeforeEach
  void setUp() throws Exception {
    div = new CliHarness(home);
    // The first ./div after a build trains its class archive: not part of what is measured.
    assertThat(div.exec("version").code()).isZero();
  }

  @Test
  void sigintAndSigtermKeepEveryLineAlreadySent() throws Exception {
    List<String> figures = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    long keptInAll = 0;
    for (String signal : List.of("INT", "TERM")) {
      long kept = 0;
      for (int trial = 0; trial < TRIALS; trial++) {
        String name = "job-" + signal.toLowerCase() + "-" + trial;
        assertThat(div.run("apply", "-f", write(name + ".yaml", approval(name)).toString()).code())
            .isZero();
        Process p =
            div.process(List.of("logs", "write", "approval", name, "-f", "-"))
                .redirectOutput(home.resolve(name + ".out").toFile())
                .redirectError(home.resolve(name + ".err").toFile())
                .start();
        try {
          OutputStream stdin = p.getOutputStream();
          // The lines are in the pipe before div reads any of them; the input stays open, as a
          // build that is still running keeps it.
          stdin.write(numbered(LINES).getBytes(StandardCharsets.UTF_8));
          stdin.flush();
          // Signal as soon as div is about to read (its log writer exists), not when it is done.
          await()
              .atMost(Duration.ofSeconds(60))
              .pollInterval(Duration.ofMillis(5))
              .until(() -> hasThread(p, "division-log-f"));
          new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start().waitFor();
          assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("div exited after SIG" + signal).isTrue();
          stdin.close();
        } finally {
          p.destroyForcibly();
        }
        int stored = div.run("logs", "read", "approval", name).out().split("\n", -1).length - 1;
        kept += stored;
        String err = Files.readString(home.resolve(name + ".err"));
        int expectedCode = signal.equals("INT") ? ExitCodes.INTERRUPTED : ExitCodes.TERMINATED;
        String expectedErr = "interrupted: " + LINES + " lines written to approval/" + name + "\n";
        if (stored != LINES || p.exitValue() != expectedCode || !err.equals(expectedErr)) {
          problems.add(
              "SIG"
                  + signal
                  + " trial "
                  + trial
                  + ": "
                  + stored
                  + " lines kept, exit "
                  + p.exitValue()
                  + ", stderr "
                  + (err.isEmpty() ? "empty" : err.strip()));
        }
      }
      figures.add("SIG" + signal + ": " + kept + " of " + (long) TRIALS * LINES + " lines kept");
      keptInAll += kept;
    }
    System.out.println("LogsSignalIT: " + String.join("; ", figures));
    assertThat(problems).isEmpty();
    assertThat(keptInAll).isEqualTo(2L * TRIALS * LINES);
  }

  @Test
  void ctrlCOnAPipelineKeepsWhatTheBuildPrintedBeforeIt() throws Exception {
    assertThat(div.run("apply", "-f", write("job.yaml", approval("job")).toString()).code())
        .isZero();
    Path marker = home.resolve("printed");
    Path divErr = home.resolve("div.err");
    Path divCode = home.resolve("div.code");
    // A build that prints 1000 lines and keeps running, piped into div, in its own process group
    // as a terminal would start it; Ctrl-C signals the whole group.
    String script =
        "for i in $(seq 1 "
            + LINES
            + "); do echo \"build step $i\"; done; touch '"
            + marker
            + "'; exec sleep 60";
    ProcessBuilder group =
        new ProcessBuilder(
                "setsid",
                "bash",
                "-c",
                "bash -c \"$0\" | '"
                    + CliHarness.repoRoot().resolve("div")
                    + "' logs write approval job -f - 2>'"
                    + divErr
                    + "'; echo ${PIPESTATUS[1]} >'"
                    + divCode
                    + "'",
                script)
            .directory(home.toFile())
            .redirectErrorStream(true)
            .redirectOutput(home.resolve("group.out").toFile());
    group.environment().putAll(div.env);
    Process shell = group.start();
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(marker));
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(5))
          .until(() -> descendantHasThread(shell, "division-log-f"));
      new ProcessBuilder("kill", "-INT", "--", "-" + shell.pid()).start().waitFor();
      assertThat(shell.waitFor(60, TimeUnit.SECONDS)).as("pipeline ended").isTrue();
    } finally {
      shell.descendants().forEach(ProcessHandle::destroyForcibly);
      shell.destroyForcibly();
    }
    String log = div.run("logs", "read", "approval", "job").out();
    assertThat(log.lines().count()).isEqualTo(LINES);
    assertThat(log).endsWith("build step " + LINES + "\n");
    // The build dies of the same Ctrl-C, so div may see its input end before the signal: either
    // way every line is kept, and an interrupted div says so.
    String code = Files.readString(divCode).strip();
    assertThat(code).isIn("0", "130");
    assertThat(Files.readString(divErr))
        .isEqualTo(
            code.equals("0") ? "" : "interrupted: " + LINES + " lines written to approval/job\n");
  }

  private Path write(String file, String content) throws IOException {
    return div.write(file, content);
  }

  private static String approval(String name) {
    return "kind: Approval\nmetadata: {name: " + name + "}\n";
  }

  private static String numbered(int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 1; i <= n; i++) sb.append("line ").append(i).append('\n');
    return sb.toString();
  }

  private static boolean descendantHasThread(Process p, String prefix) {
    return p.descendants().anyMatch(h -> hasThread(h.pid(), prefix));
  }

  private static boolean hasThread(Process p, String prefix) {
    return hasThread(p.pid(), prefix);
  }

  /** Linux names threads in /proc: the JVM's threads show who has started what. */
  private static boolean hasThread(long pid, String prefix) {
    Path tasks = Path.of("/proc", Long.toString(pid), "task");
    if (!Files.isDirectory(tasks)) return false;
    try (var dirs = Files.list(tasks)) {
      for (Path t : (Iterable<Path>) dirs::iterator) {
        try {
          if (Files.readString(t.resolve("comm")).startsWith(prefix)) return true;
        } catch (IOException e) {
          // the thread ended while we looked
        }
      }
    } catch (IOException e) {
      return false; // the process ended while we looked
    }
    return false;
  }
}
