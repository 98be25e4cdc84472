package io.division.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.division.core.model.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** div as users run it: ./div in separate processes sharing one embedded store. */
class CliProcessIT {
  @TempDir Path home;
  CliHarness div;

  @BeforeEach
  void setUp() {
    div = new CliHarness(home);
  }

  /** A running ./div whose output lines are collected as they come. */
  final class Running {
    final Process process;
    final List<String> out = new CopyOnWriteArrayList<>();
    final List<String> err = new CopyOnWriteArrayList<>();

    private final List<Thread> collectors = new ArrayList<>();

    Running(String... args) throws IOException {
      process = div.process(List.of(args)).start();
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

    /** Waits for the process and for the last of its output to be collected. */
    int exit() throws InterruptedException {
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("process exited").isTrue();
      for (Thread t : collectors) t.join(10_000);
      return process.exitValue();
    }

    void interrupt() throws IOException, InterruptedException {
      new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor();
    }
  }

  @Test
  void theOriginalApprovalFlowReleasesAWaiterInAnotherProcess() throws Exception {
    assertThat(
            div.exec(
                    "apply",
                    "-f",
                    CliHarness.repoRoot().resolve("examples/approval.yaml").toString())
                .code())
        .isZero();
    Running waiter =
        new Running(
            "wait",
            "approval",
            "myjob1approval",
            "--until",
            "jsonql=\"status.phase = 'Approved'\"");

    CliHarness.Result got = div.exec("get", "approval", "myjob1approval", "-o", "json");
    ObjectNode doc = (ObjectNode) Json.parse(got.out());
    doc.putObject("status").put("phase", "Approved");
    Path approved = home.resolve("approved.json");
    Files.writeString(approved, Json.writePretty(doc));
    assertThat(div.exec("apply", "-f", approved.toString()).out())
        .isEqualTo("approval/myjob1approval configured\n");

    assertThat(waiter.exit()).isZero();
    assertThat(waiter.out).containsExactly("approval/myjob1approval condition met");
  }

  @Test
  void approveRecordsWhoAndWhenAndRejectEndsAFailWhenWait() throws Exception {
    div.execWithInput("{\"kind\":\"Approval\",\"metadata\":{\"name\":\"a1\"}}", "apply", "-f", "-");
    div.execWithInput("{\"kind\":\"Approval\",\"metadata\":{\"name\":\"a2\"}}", "apply", "-f", "-");
    Running waiter =
        new Running(
            "wait",
            "approval",
            "a1",
            "status.phase = 'Approved'",
            "-o",
            "jsonpath={.status.approvedBy}");
    assertThat(div.exec("approve", "approval", "a1", "--as", "alice").out())
        .isEqualTo("approval/a1 approved by alice\n");
    assertThat(waiter.exit()).isZero();
    assertThat(waiter.out).containsExactly("alice");
    JsonNode status =
        Json.parse(div.exec("get", "approval", "a1", "-o", "json").out()).path("status");
    assertThat(status.path("approvedAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");

    Running doomed =
        new Running(
            "wait",
            "approval",
            "a2",
            "--until",
            "status.phase = 'Approved'",
            "--fail-when",
            "status.phase = 'Rejected'",
            "--timeout",
            "1m");
    assertThat(div.exec("reject", "approval", "a2", "--as", "bob", "-m", "not today").code())
        .isZero();
    assertThat(doomed.exit()).isEqualTo(ExitCodes.FAILED);
    assertThat(doomed.err)
        .endsWith("error: approval/a2 met the failure condition: status.phase = 'Rejected'");
    CliHarness.Result again = div.exec("approve", "approval", "a2");
    assertThat(again.code()).isEqualTo(1);
    assertThat(again.err()).contains("already rejected by bob");
  }

  @Test
  void aWaitThatRunsOutOfTimeExitsThreeAndNamesTheResourceAndCondition() throws Exception {
    CliHarness.Result r =
        div.exec("wait", "approval", "never", "status.phase = 'Approved'", "--timeout", "300ms");
    assertThat(r.code()).isEqualTo(ExitCodes.TIMEOUT);
    assertThat(r.err())
        .isEqualTo(
            "waiting for approval/never: status.phase = 'Approved'\n"
                + "error: timed out after 300ms waiting for approval/never: status.phase = 'Approved'\n");
  }

  @Test
  void aMalformedConditionIsRejectedBeforeWaiting() throws Exception {
    CliHarness.Result r = div.exec("wait", "approval", "x", "status.phase = ", "--timeout", "1h");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err().lines()).hasSize(1);
    assertThat(r.err())
        .startsWith("error: invalid condition \"status.phase =\": expected a value at column 15");
  }

  @Test
  void waitForDeleteAndForCreate() throws Exception {
    Running creation =
        new Running("wait", "approval", "later", "--for", "create", "--timeout", "1m");
    div.execWithInput(
        "{\"kind\":\"Approval\",\"metadata\":{\"name\":\"later\"}}", "apply", "-f", "-");
    assertThat(creation.exit()).isZero();
    Running deletion =
        new Running("wait", "approval", "later", "--for", "delete", "--timeout", "1m");
    div.exec("delete", "approval", "later");
    assertThat(deletion.exit()).isZero();
    assertThat(deletion.out).containsExactly("approval/later deleted");
  }

  @Test
  void deletingTheResourceWhileWaitingOnItsStatusIsAnError() throws Exception {
    div.execWithInput(
        "{\"kind\":\"Approval\",\"metadata\":{\"name\":\"gone\"}}", "apply", "-f", "-");
    Running waiter =
        new Running("wait", "approval", "gone", "status.phase = 'Approved'", "--timeout", "1m");
    // Once it says what it waits for, it has read the resource: deleting it now is "under" it.
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> waiter.err.stream().anyMatch(l -> l.startsWith("waiting for")));
    div.exec("delete", "approval", "gone");
    assertThat(waiter.exit()).isEqualTo(1);
    assertThat(waiter.err)
        .endsWith("error: approval/gone was deleted while waiting for status.phase = 'Approved'");
  }

  @Test
  void logsWrittenByOneProcessAreFollowedByAnother() throws Exception {
    div.execWithInput(
        "{\"kind\":\"Approval\",\"metadata\":{\"name\":\"job\"}}", "apply", "-f", "-");
    div.execWithInput("before\n", "logs", "write", "approval", "job", "-f", "-");
    Running reader = new Running("logs", "read", "approval", "job", "-f");
    await().atMost(Duration.ofSeconds(30)).until(() -> reader.out.contains("before"));
    StringBuilder many = new StringBuilder();
    for (int i = 0; i < 1000; i++) many.append("line ").append(i).append('\n');
    div.execWithInput(many.toString(), "logs", "write", "approval", "job", "-f", "-");
    await().atMost(Duration.ofSeconds(30)).until(() -> reader.out.size() == 1001);
    reader.interrupt();
    assertThat(reader.exit()).isZero();
    assertThat(reader.out.get(1000)).isEqualTo("line 999");
    assertThat(div.exec("logs", "read", "approval", "job", "--tail", "2").out())
        .isEqualTo("line 998\nline 999\n");
  }

  @Test
  void waitWithApplyAndLogsStreamsTheLogUntilTheConditionHolds() throws Exception {
    Path job = home.resolve("job.yaml");
    Files.writeString(job, "kind: Approval\nmetadata: {name: job}\n");
    Running waiter =
        new Running(
            "wait",
            "-f",
            job.toString(),
            "--apply",
            "--logs",
            "--until",
            "jsonql=\"status.phase = 'Done'\"",
            "--timeout",
            "1m");
    await().atMost(Duration.ofSeconds(30)).until(() -> waiter.out.contains("approval/job created"));
    div.execWithInput("step 1\nstep 2\n", "logs", "write", "approval", "job", "-f", "-");
    div.exec(
        "patch", "approval", "job", "--type", "merge", "-p", "{\"status\":{\"phase\":\"Done\"}}");
    assertThat(waiter.exit()).isZero();
    assertThat(waiter.err)
        .containsExactly("waiting for approval/job: status.phase = 'Done'", "step 1", "step 2");
    assertThat(waiter.out).containsExactly("approval/job created", "approval/job condition met");
  }

  @Test
  void getWatchPrintsChangesFromOtherProcessesAndCtrlCExitsZero() throws Exception {
    div.execWithInput("{\"kind\":\"Approval\",\"metadata\":{\"name\":\"w1\"}}", "apply", "-f", "-");
    Running watcher = new Running("get", "approvals", "--watch", "--output-watch-events");
    await().atMost(Duration.ofSeconds(30)).until(() -> watcher.out.size() >= 2);
    div.exec("approve", "approval", "w1", "--as", "carol");
    div.exec("delete", "approval", "w1");
    await().atMost(Duration.ofSeconds(30)).until(() -> watcher.out.size() >= 4);
    watcher.interrupt();
    assertThat(watcher.exit()).isZero();
    assertThat(watcher.out.get(0)).startsWith("EVENT");
    assertThat(watcher.out.get(1)).matches("ADDED\\s+w1\\s+<none>.*");
    assertThat(watcher.out.get(2)).matches("MODIFIED\\s+w1\\s+Approved\\s+1/1\\s+carol.*");
    assertThat(watcher.out.get(3)).startsWith("DELETED");
  }

  @Test
  void concurrentPatchesFromSeveralProcessesAreAllKept() throws Exception {
    div.execWithInput(
        "{\"kind\":\"Approval\",\"metadata\":{\"name\":\"shared\"}}", "apply", "-f", "-");
    List<Process> writers = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      writers.add(
          div.process(
                  List.of(
                      "patch",
                      "approval",
                      "shared",
                      "--type",
                      "merge",
                      "-p",
                      "{\"metadata\":{\"labels\":{\"writer-" + i + "\":\"yes\"}}}"))
              .redirectErrorStream(true)
              .start());
    }
    for (Process p : writers) {
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).isZero();
    }
    JsonNode labels =
        Json.parse(div.exec("get", "approval", "shared", "-o", "json").out())
            .path("metadata")
            .path("labels");
    assertThat(labels.size()).isEqualTo(6);
  }

  @Test
  void templatePipesEachRenderIntoApplyWithoutAShell() throws Exception {
    Path root = CliHarness.repoRoot();
    div.exec("apply", "-f", root.resolve("examples/widget.crd.yaml").toString());
    CliHarness.Result r =
        div.execWithInput(
            Files.readString(root.resolve("examples/widgets.ndjson")),
            "template",
            "-f",
            root.resolve("examples/widget.yaml.tpl").toString(),
            "--pipe-to",
            "div apply -f -");
    assertThat(r.code()).isZero();
    assertThat(r.out()).isEqualTo("widget/small created\nwidget/large created\n");
    assertThat(div.exec("get", "widgets", "-o", "name").out())
        .isEqualTo("widget/large\nwidget/small\n");
  }

  @Test
  void ctrlCEndsAWaitWithExit130() throws Exception {
    Running waiter = new Running("wait", "approval", "never", "status.phase = 'Approved'");
    // The store's change-watching thread starts when the wait first blocks, after the signal
    // handler is in place (Linux names threads in /proc).
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> hasThread(waiter.process, "division-sqlite"));
    waiter.interrupt();
    assertThat(waiter.exit()).isEqualTo(ExitCodes.INTERRUPTED);
    assertThat(waiter.err)
        .containsExactly(
            "waiting for approval/never: status.phase = 'Approved'",
            "error: interrupted while waiting for approval/never: status.phase = 'Approved'");
  }

  private static boolean hasThread(Process p, String namePrefix) throws IOException {
    Path tasks = Path.of("/proc", Long.toString(p.pid()), "task");
    if (!Files.isDirectory(tasks)) return false;
    try (var dirs = Files.list(tasks)) {
      for (Path t : (Iterable<Path>) dirs::iterator) {
        try {
          if (Files.readString(t.resolve("comm")).startsWith(namePrefix)) return true;
        } catch (IOException e) {
          // the thread ended while we looked
        }
      }
    }
    return false;
  }

  @Test
  void initCompletionGenVersionAndTemplateRunAsProcesses() throws Exception {
    Path cfg = home.resolve("sub/div.yaml");
    Files.createDirectories(cfg.getParent());
    assertThat(div.exec("--config", cfg.toString(), "init").code()).isZero();
    assertThat(Files.readString(cfg)).contains("sqlite:division.db");
    assertThat(div.exec("completion", "bash").out()).contains("complete -F");
    assertThat(div.exec("gen", "iampolicy", "readwrite", "install", "--region", "us-east-1").out())
        .contains("table/div.Install.ns.default")
        .contains("dynamodb:PutItem");
    assertThat(
            div.exec("gen", "iampolicy", "gateway", "--namespaces", "*", "--region", "us-east-1")
                .out())
        .contains("table/div.Deployment.ns.*")
        .contains("table/div.Cluster.cluster")
        .doesNotContain("div.Approval");
    CliHarness.Result presetWithKinds = div.exec("gen", "iampolicy", "ci", "approval");
    assertThat(presetWithKinds.code()).isEqualTo(2);
    assertThat(presetWithKinds.err()).contains("the ci preset names its own kinds");
    assertThat(div.exec("version").out()).startsWith("Client Version: v");
    Path tpl = home.resolve("t.tpl");
    Files.writeString(tpl, "name: {{name}}\n");
    assertThat(div.execWithInput("{\"name\":\"x\"}\n", "template", "-f", tpl.toString()).out())
        .isEqualTo("name: x\n");
  }

  @Test
  void badInputExitsOneWithOneLineAndAUsageErrorExitsTwo() throws Exception {
    Path bad = home.resolve("bad.yaml");
    Files.writeString(bad, "kind: Approval\nmetadata: {name: ok}\n---\n: : :\n");
    CliHarness.Result r = div.exec("apply", "-f", bad.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err().lines()).hasSize(1);
    assertThat(r.err()).startsWith("error: " + bad + " document 2");
    CliHarness.Result usage = div.exec("get", "--no-such-flag");
    assertThat(usage.code()).isEqualTo(2);
    assertThat(usage.err().lines()).hasSize(1);
  }

  /**
   * The launcher's training run (after each build) writes Approvals, an Application and a
   * Deployment: into a throw-away store, never into the store a div.yaml in the directory the
   * launcher started from names.
   */
  @Test
  void theStartUpTrainingRunNeverWritesToTheStoreOfTheWorkingDirectory() throws Exception {
    div.write("div.yaml", "spec:\n  source: \"sqlite:real.db\"\n");
    Path jar = CliHarness.repoRoot().resolve("division-cli/target/div.jar");
    Process training =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                jar.toString(),
                "io.division.cli.CdsTraining")
            .directory(home.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    assertThat(training.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(training.exitValue()).isZero();
    assertThat(home.resolve("real.db")).doesNotExist();
  }

  /** Durations are parsed by hand: a bad one or one too long is a one-line error, not a crash. */
  @Test
  void aBadOrTooLongDurationIsAOneLineError() throws Exception {
    CliHarness.Result bad =
        div.exec("wait", "approval", "a1", "--for", "delete", "--timeout", "10x");
    assertThat(bad.code()).isEqualTo(1);
    assertThat(bad.err().strip())
        .isEqualTo(
            "error: invalid duration \"10x\": expected a number and a unit (ms, s, m, h) at \"10x\"");
    CliHarness.Result tooLong =
        div.exec("logs", "read", "approval", "a1", "--since", "9999999999999h");
    assertThat(tooLong.code()).isEqualTo(1);
    assertThat(tooLong.err().strip())
        .isEqualTo(
            "error: invalid duration \"9999999999999h\": too long (at most about 292 years)");
  }
}
