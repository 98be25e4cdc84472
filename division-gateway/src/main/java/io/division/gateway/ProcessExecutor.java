package io.division.gateway;

import io.division.core.DivisionException;
import io.division.core.deploy.Executor;
import io.division.core.deploy.InstallRun;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Runs a local command per install: the command and its arguments come from the gateway's own
 * command line; the install's values are environment variables only. stdout and stderr go to the
 * install's log; the exit code decides the phase.
 *
 * <p>A local process cannot outlive its supervisor usefully: once the gateway that started it is
 * gone, nobody can read its exit status. So {@link #adopt} stops such an orphan (identified by pid
 * and start time, never another process) and reports the attempt as not adoptable; the reconciler
 * then runs it again as a new, recorded attempt.
 */
public final class ProcessExecutor implements Executor {
  private final List<String> command;
  private final Path workingDir;

  public ProcessExecutor(List<String> command, Path workingDir) {
    if (command.isEmpty())
      throw DivisionException.invalid(
          "the process executor needs a command: div gateway ... -- COMMAND ARGS...");
    this.command = List.copyOf(command);
    this.workingDir = workingDir;
  }

  @Override
  public String name() {
    return "process";
  }

  @Override
  public Handle start(InstallRun run, Consumer<String> log) throws ExecutorException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    if (workingDir != null) pb.directory(workingDir.toFile());
    pb.environment().putAll(run.environment());
    Process process;
    String startedAt;
    try {
      process = pb.start();
      // Read at once: a short command may be gone (and its start time with it) a moment later.
      startedAt = process.info().startInstant().map(Instant::toString).orElse("");
    } catch (IOException e) {
      throw new ExecutorException("cannot start " + command.get(0) + ": " + e.getMessage(), e);
    }
    // No input: closed at once so the command sees end of file.
    try {
      process.getOutputStream().close();
    } catch (IOException e) {
      // already closed
    }
    Thread pump =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) log.accept(line);
              } catch (IOException e) {
                // the process ended
              }
            },
            "div-process-" + run.objectName());
    pump.setDaemon(true);
    pump.start();
    String state = process.pid() + "@" + startedAt;
    return new Handle() {
      @Override
      public String state() {
        return state;
      }

      @Override
      public Outcome poll() {
        if (process.isAlive()) return null;
        try {
          pump.join(5000); // the last lines before the exit code
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        int code = process.exitValue();
        return new Outcome(code == 0, code == 0 ? "exit code 0" : "exit code " + code);
      }

      @Override
      public void cancel() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
      }
    };
  }

  @Override
  public Optional<Handle> adopt(InstallRun run, Consumer<String> log, String executorState) {
    if (executorState != null && executorState.contains("@")) {
      long pid = Long.parseLong(executorState.substring(0, executorState.indexOf('@')));
      String started = executorState.substring(executorState.indexOf('@') + 1);
      // Without a start time a pid proves nothing (it may have been reused): leave it alone.
      if (!started.isEmpty())
        ProcessHandle.of(pid)
            .filter(p -> p.info().startInstant().map(Instant::toString).orElse("").equals(started))
            .ifPresent(
                orphan -> {
                  log.accept(
                      "[gateway] stopping pid "
                          + pid
                          + ", orphaned when the previous gateway stopped");
                  orphan.descendants().forEach(ProcessHandle::destroy);
                  orphan.destroy();
                });
    }
    return Optional.empty();
  }
}
