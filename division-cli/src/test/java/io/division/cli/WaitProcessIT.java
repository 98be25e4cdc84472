package io.division.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code div wait} as scripts and CI run it: ./div in separate processes sharing one store. */
class WaitProcessIT {
  @TempDir Path home;
  CliHarness div;
  final List<Process> started = new ArrayList<>();

  @BeforeEach
  void setUp() {
    div = new CliHarness(home);
  }

  @AfterEach
  void stopEverything() throws InterruptedException {
    for (Process p : started) {
      p.destroyForcibly();
      p.waitFor(30, TimeUnit.SECONDS);
    }
  }

  /** A running ./div whose output lines are collected as they come. */
  final class Running {
    final Process process;
    final List<String> out = new CopyOnWriteArrayList<>();
    final List<String> err = new CopyOnWriteArrayList<>();
    private final List<Thread> collectors = new ArrayList<>();

    Running(String... args) throws IOException {
      process = div.process(List.of(args)).start();
      started.add(process);
      process.getOutputStream().close();
      collectors.add(collect(process.getInputStream(), out));
      collectors.add(collect(process.getErrorStream(), err));
    }

    private Thread collect(java.io.InputStream stream, List<String> into) {
      Thread t =
          new Thread(
              () -> {
                try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                  String line;
                  while ((line = r.readLine()) != null) into.add(line);
                } catch (IOException e) {
                  // the process ended
                }
              });
      t.setDaemon(true);
      t.start();
      return t;
    }

    /** Blocks until the wait has said on stderr what it waits for: it is then waiting. */
    Running waiting() {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> err.stream().anyMatch(l -> l.startsWith("waiting for ")));
      return this;
    }

    int exit() throws InterruptedException {
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("process exited").isTrue();
      for (Thread t : collectors) t.join(10_000);
      return process.exitValue();
    }

    void signal(String name) throws IOException, InterruptedException {
      new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start().waitFor();
    }
  }

  private void approval(String name, String labels, String phase) throws Exception {
    String status = phase == null ? "" : ",\"status\":{\"phase\":\"" + phase + "\"}";
    div.execWithInput(
        "{\"kind\":\"Approval\",\"metadata\":{\"name\":\""
            + name
            + "\",\"labels\":{"
            + labels
            + "}}"
            + status
            + "}",
        "apply",
        "-f",
        "-");
  }

  @Test
  void severalResourcesOfMixedKindsAreAwaitedTogether() throws Exception {
    Running w =
        new Running("wait", "approval/a1", "install/i1", "--for", "create", "--timeout", "1m")
            .waiting();
    approval("a1", "", null);
    div.execWithInput("{\"kind\":\"Install\",\"metadata\":{\"name\":\"i1\"}}", "apply", "-f", "-");
    assertThat(w.exit()).isZero();
    assertThat(w.out)
        .containsExactlyInAnyOrder("approval/a1 condition met", "install/i1 condition met");
    assertThat(w.err)
        .containsExactly("waiting for approval/a1 creation", "waiting for install/i1 creation");
  }

  @Test
  void aSelectorWaitsOnEveryMatchingResourceAndAllOnTheNamespace() throws Exception {
    approval("w1", "\"team\":\"web\"", "Pending");
    approval("w2", "\"team\":\"web\"", "Pending");
    approval("other", "\"team\":\"db\"", "Pending");
    Running w =
        new Running(
                "wait",
                "approvals",
                "-l",
                "team=web",
                "--for",
                "jsonpath=.status.phase=Approved",
                "--timeout",
                "1m")
            .waiting();
    div.exec("approve", "approval", "w1", "--as", "alice");
    div.exec("approve", "approval", "w2", "--as", "alice");
    assertThat(w.exit()).isZero();
    assertThat(w.out)
        .containsExactlyInAnyOrder("approval/w1 condition met", "approval/w2 condition met");

    CliHarness.Result all =
        div.exec("wait", "approvals", "--all", "status.phase is defined", "--timeout", "5s");
    assertThat(all.code()).isZero();
    assertThat(all.out().lines()).hasSize(3);
    CliHarness.Result none =
        div.exec("wait", "installs", "--all", "--for", "delete", "--timeout", "5s");
    assertThat(none.code()).isEqualTo(1);
    assertThat(none.err()).isEqualTo("error: no matching resources found\n");
  }

  @Test
  void jsonpathFormsThatKubectlRejectsFailAtOnce() throws Exception {
    approval("j1", "", "Pending");
    CliHarness.Result many =
        div.exec("wait", "approval", "j1", "--for", "jsonpath={.status.conditions[*]}");
    assertThat(many.code()).isEqualTo(1);
    assertThat(many.err().lines()).singleElement().asString().contains("several values");
    CliHarness.Result empty =
        div.exec("wait", "approval", "j1", "--for", "jsonpath='{.status.phase}'=");
    assertThat(empty.code()).isEqualTo(1);
    assertThat(empty.err()).contains("the value after '=' is empty");
    CliHarness.Result object = div.exec("wait", "approval", "j1", "--for", "jsonpath={.status}=x");
    assertThat(object.code()).isEqualTo(4);
    assertThat(object.err()).contains("is an object or a list");
  }

  @Test
  void aReadyConditionFromAnOlderGenerationIsNotReady() throws Exception {
    Path v1 =
        div.write(
            "v1.yaml",
            "kind: Project\nmetadata: {name: g}\nspec: {ref: v1}\n"
                + "status: {conditions: [{type: Ready, status: 'True', observedGeneration: 1}]}\n");
    div.exec("apply", "-f", v1.toString());
    assertThat(
            div.exec("wait", "project", "g", "--for", "condition=Ready", "--timeout", "30s").code())
        .isZero();
    // A new spec (generation 2) keeps the stored status: its Ready is about generation 1.
    Path v2 = div.write("v2.yaml", "kind: Project\nmetadata: {name: g}\nspec: {ref: v2}\n");
    div.exec("apply", "-f", v2.toString());
    CliHarness.Result stale =
        div.exec("wait", "project", "g", "--for", "condition=Ready", "--timeout", "500ms");
    assertThat(stale.code()).isEqualTo(ExitCodes.TIMEOUT);
  }

  @Test
  void progressLinesSayWhatIsAwaitedAtTheStartAndThenAtTheInterval() throws Exception {
    CliHarness.Result r =
        div.exec(
            "wait",
            "approval",
            "slow",
            "status.phase = 'Approved'",
            "--progress",
            "200ms",
            "--timeout",
            "1s");
    assertThat(r.code()).isEqualTo(ExitCodes.TIMEOUT);
    List<String> lines = r.err().lines().toList();
    assertThat(lines.get(0)).isEqualTo("waiting for approval/slow: status.phase = 'Approved'");
    assertThat(lines.subList(1, lines.size() - 1))
        .isNotEmpty()
        .allMatch(l -> l.matches("still waiting for approval/slow: .* \\(\\d+s\\)"));
    assertThat(lines.get(lines.size() - 1)).startsWith("error: timed out after 1s");
  }

  @Test
  void sigtermEndsAWaitWithExit143AndCtrlCWith130() throws Exception {
    Running term = new Running("wait", "approval", "never", "status.phase = 'Approved'").waiting();
    term.signal("TERM");
    assertThat(term.exit()).isEqualTo(ExitCodes.TERMINATED);
    assertThat(term.err)
        .endsWith("error: terminated while waiting for approval/never: status.phase = 'Approved'");
    approval("stays", "", null);
    Running ctrlC =
        new Running("wait", "approval", "stays", "--for", "delete", "--timeout", "1h").waiting();
    ctrlC.signal("INT");
    assertThat(ctrlC.exit()).isEqualTo(ExitCodes.INTERRUPTED);
    assertThat(ctrlC.err).endsWith("error: interrupted while waiting for approval/stays deletion");
  }

  @Test
  void theOriginalsIsDefinedAndNegatedRegexOperators() throws Exception {
    approval("o1", "", "Running");
    assertThat(
            div.exec(
                    "wait", "approval", "o1", "status.phase is defined and status.phase !~= 'Fail'")
                .code())
        .isZero();
    CliHarness.Result missing =
        div.exec("wait", "approval", "o1", "status.reason != 'x'", "--timeout", "300ms");
    assertThat(missing.code()).as("!= on a missing field does not hold").isEqualTo(3);
  }
}
