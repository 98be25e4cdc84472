package io.division.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.division.core.DivisionException;
import io.division.core.deploy.Executor;
import io.division.core.deploy.InstallRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The process executor's own records, with real processes: what a gateway that restarts (a new
 * executor on the same state directory) can adopt, and what it refuses to touch.
 */
class ProcessExecutorTest {
  @TempDir Path dir;
  final List<String> log = new CopyOnWriteArrayList<>();
  final List<Executor.Handle> started = new CopyOnWriteArrayList<>();

  /**
   * Prints, then waits for the file go-REF in the working directory; exits with code 7 for bad*.
   */
  static final String SCRIPT =
      """
      echo "running $DIV_REF"
      while [ ! -f "go-$DIV_REF" ]; do sleep 0.05; done
      case "$DIV_REF" in bad*) exit 7;; esac
      """;

  @AfterEach
  void stopEverything() {
    for (Executor.Handle h : started) h.cancel();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> started.stream().allMatch(h -> h.poll() != null));
  }

  private ProcessExecutor executor() {
    return ProcessExecutor.builder()
        .command(List.of("/bin/sh", "-c", SCRIPT))
        .workingDir(dir)
        .stateDir(dir.resolve("state"))
        .killGrace(Duration.ofSeconds(1))
        .build();
  }

  private static InstallRun run(String ref) {
    String install = "app-c1-" + ref;
    return new InstallRun(
        install, install + "-a1", "p", "app", ref, "c1", "default", 1, Instant.now());
  }

  private Executor.Handle track(Executor.Handle h) {
    started.add(h);
    return h;
  }

  /** Output reaches the log as the handle is polled, as the gateway's loop does. */
  private void awaitLine(Executor.Handle h, String line) {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              h.poll();
              return log.contains(line);
            });
  }

  private void release(String ref) throws Exception {
    Files.writeString(dir.resolve("go-" + ref), "");
  }

  @Test
  void aRestartedGatewayRecoversTheOutcomeOfAnAttemptThatFinishedWhileNobodyFollowedIt()
      throws Exception {
    Executor.Handle first = track(executor().start(run("bad-1"), log::add));
    awaitLine(first, "running bad-1");
    release("bad-1");
    Path exit = executor().attemptDir(run("bad-1")).resolve("exit");
    await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(exit));

    Executor.Adoption adoption = executor().adopt(run("bad-1"), log::add);
    assertThat(adoption.known()).isTrue();
    Executor.Outcome outcome = adoption.handle().poll();
    assertThat(outcome).isEqualTo(new Executor.Outcome(false, "exit code 7"));
    assertThat(first.poll()).isEqualTo(outcome);
  }

  @Test
  void anAttemptWhoseSupervisorHasNotRecordedItsPidYetIsFoundByItsCommandLineAndFollowed()
      throws Exception {
    track(executor().start(run("r1"), log::add));
    Path pid = executor().attemptDir(run("r1")).resolve("pid");
    await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(pid));
    Files.delete(pid); // as seen by a gateway that looks before the supervisor has written it

    Executor.Adoption adoption = executor().adopt(run("r1"), log::add);
    assertThat(adoption.known()).as(String.valueOf(adoption.unknownReason())).isTrue();
    Executor.Handle adopted = track(adoption.handle());
    assertThat(adopted.poll()).isNull();
    release("r1");
    await().atMost(Duration.ofSeconds(20)).until(() -> adopted.poll() != null);
    assertThat(adopted.poll()).isEqualTo(new Executor.Outcome(true, "exit code 0"));
  }

  @Test
  void anAttemptWithNoRecordHereHasAnUnknownOutcomeAndNothingIsStarted() {
    Executor.Adoption adoption = executor().adopt(run("r2"), log::add);
    assertThat(adoption.known()).isFalse();
    assertThat(adoption.unknownReason()).startsWith("no record of app-c1-r2-a1 in ");
    assertThat(log).isEmpty();
  }

  @Test
  void cancellingStopsTheWholeProcessGroupAndOnlyThenReportsTheOutcome() throws Exception {
    Executor.Handle h = track(executor().start(run("r3"), log::add));
    awaitLine(h, "running r3");
    h.cancel();
    await().atMost(Duration.ofSeconds(20)).until(() -> h.poll() != null);
    assertThat(h.poll().succeeded()).isFalse();
    assertThat(h.poll().message()).startsWith("stopped");
    long leader = Long.parseLong(h.state().substring("process-group/".length()));
    assertThat(ProcessGroup.findSupervisor(executor().attemptDir(run("r3")))).isEqualTo(-1);
    assertThat(new ProcessGroup(leader, executor().attemptDir(run("r3"))).alive()).isFalse();
  }

  @Test
  void aSupervisorKilledBeforeItRecordedAnExitStatusIsLostOnlyAfterASecondLook() throws Exception {
    Executor.Handle h = track(executor().start(run("r4"), log::add));
    awaitLine(h, "running r4");
    Path attempt = executor().attemptDir(run("r4"));
    long leader = Long.parseLong(Files.readString(attempt.resolve("pid")).trim());
    ProcessGroup group = new ProcessGroup(leader, attempt);
    group.kill(); // SIGKILL to the supervisor and the command: no exit status is written
    await().atMost(Duration.ofSeconds(20)).until(() -> !group.alive());

    assertThat(h.poll()).as("one look is not enough").isNull();
    await().atMost(Duration.ofSeconds(20)).until(() -> h.poll() != null);
    assertThat(h.poll().succeeded()).isFalse();
    assertThat(h.poll().message())
        .isEqualTo(
            "the command's supervisor (process group "
                + leader
                + ") ended without recording an exit status");
    assertThat(Files.exists(attempt.resolve("exit"))).isFalse();
  }

  @Test
  void aStateDirectoryOthersCanWriteIsRefused() throws Exception {
    Path state = Files.createDirectory(dir.resolve("open"));
    Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwxrwxrwx"));
    assertThatThrownBy(
            () -> ProcessExecutor.builder().command(List.of("true")).stateDir(state).build())
        .isInstanceOf(DivisionException.class)
        .hasMessageContaining("is writable by others (rwxrwxrwx): make it 0700");
  }
}
