package io.division.gateway;

import io.division.core.DivisionException;
import io.division.core.deploy.Executor;
import io.division.core.deploy.InstallRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Runs a local command per install: the command and its arguments come from the gateway's own
 * command line; the install's values are environment variables only.
 *
 * <p>Each attempt runs under a small supervisor (a POSIX shell started with {@code setsid}, so it
 * leads a process group of its own and is out of reach of the terminal's Ctrl-C) that keeps what a
 * restarted gateway needs in the attempt's directory under the gateway's state directory: its own
 * pid ({@code pid}), the command's output ({@code output}) and, once the command ends, its exit
 * status ({@code exit}, written by rename so it is whole or absent). The command therefore outlives
 * a gateway killed with {@code kill -9}, and the next gateway (or the standby taking the lease, on
 * the same host) {@linkplain #adopt adopts} it: it follows a command still running and recovers the
 * outcome of one that finished, instead of running it again.
 *
 * <p>What this executor signals is only ever a process group it started, found from its own record
 * in its state directory and checked against the supervisor's command line; a pid written in the
 * store is never used. Stopping an attempt is SIGTERM to the group, then SIGKILL after a grace
 * period; the attempt counts as ended only once no process of the group is left, so a command that
 * ignores SIGTERM is never overlapped by a next attempt.
 */
public final class ProcessExecutor implements Executor {
  /** The supervisor: records its pid, runs the command into the output file, records the exit. */
  static final String SUPERVISOR =
      "dir=$1; shift\n"
          + "echo $$ > \"$dir/pid.tmp\" && mv -f \"$dir/pid.tmp\" \"$dir/pid\" || exit 125\n"
          + "\"$@\" < /dev/null >> \"$dir/output\" 2>&1\n"
          + "code=$?\n"
          + "echo $code > \"$dir/exit.tmp\" && mv -f \"$dir/exit.tmp\" \"$dir/exit\"\n";

  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rwx------");
  private static final Duration KEEP_FINISHED = Duration.ofDays(7);

  private static final Duration GROUP_LOOK_EVERY = Duration.ofMillis(200);

  /** How long an attempt must stay gone, with no exit status, before it counts as lost. */
  private static final Duration CONFIRM_GONE = Duration.ofSeconds(2);

  private final List<String> command;
  private final Path workingDir;
  private final Path stateDir;
  private final Duration killGrace;
  private final List<String> launcher;

  private ProcessExecutor(Builder b) {
    if (b.command == null || b.command.isEmpty())
      throw DivisionException.invalid(
          "the process executor needs a command, given after -- (for example: -- ./deploy.sh)");
    this.command = List.copyOf(b.command);
    this.workingDir = b.workingDir;
    this.stateDir = Objects.requireNonNull(b.stateDir, "stateDir").toAbsolutePath();
    this.killGrace = b.killGrace;
    prepareStateDir(stateDir);
    List<String> l = new ArrayList<>();
    findSetsid().ifPresent(setsid -> l.add(setsid.toString()));
    l.addAll(List.of("/bin/sh", "-c", SUPERVISOR, ProcessGroup.SUPERVISOR_NAME));
    this.launcher = List.copyOf(l);
    removeOldRecords();
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return "process";
  }

  /** The directory of one attempt: both names are validated DNS-style names, safe as paths. */
  Path attemptDir(InstallRun run) {
    return stateDir.resolve(run.namespace()).resolve(run.objectName());
  }

  @Override
  public Handle start(InstallRun run, Consumer<String> log) throws ExecutorException {
    Path dir = attemptDir(run);
    if (Files.exists(dir.resolve("pid")) || Files.exists(dir.resolve("exit"))) {
      // Started already (a gateway that stopped between starting it and recording so): follow it.
      log.accept("[gateway] " + run.objectName() + " was started already: following it");
      return new SupervisedHandle(dir, readPid(dir), log);
    }
    List<String> argv = new ArrayList<>(launcher);
    argv.add(dir.toString());
    argv.addAll(command);
    ProcessBuilder pb =
        new ProcessBuilder(argv)
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(
                ProcessBuilder.Redirect.appendTo(dir.resolve("supervisor.err").toFile()));
    if (workingDir != null) pb.directory(workingDir.toFile());
    pb.environment().putAll(run.environment());
    Process process;
    try {
      Files.createDirectories(dir.getParent());
      deleteTree(dir); // left by a start that never got as far as its supervisor
      Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
      Files.createFile(dir.resolve("output"));
      process = pb.start();
    } catch (IOException e) {
      throw new ExecutorException(
          "cannot start " + command.get(0) + " under its supervisor: " + e.getMessage(), e);
    }
    return new SupervisedHandle(dir, process.pid(), log);
  }

  /**
   * Adopts an attempt a previous gateway process started, from this executor's own records only:
   * the state the store names is not consulted, so a store writer cannot point it at a process.
   */
  @Override
  public Adoption adopt(InstallRun run, Consumer<String> log) {
    Path dir = attemptDir(run);
    if (!Files.isDirectory(dir))
      return Adoption.unknown(
          "no record of "
              + run.objectName()
              + " in "
              + stateDir
              + " (started on another host, or never started)");
    if (Files.exists(dir.resolve("exit"))) {
      log.accept("[gateway] " + run.objectName() + " finished while no gateway followed it");
      return Adoption.followed(new SupervisedHandle(dir, readPid(dir), log));
    }
    long pid = readPid(dir);
    // Started so recently that the supervisor has not written its pid yet: find it by name.
    if (pid <= 0) pid = ProcessGroup.findSupervisor(dir);
    if (pid <= 0 || !new ProcessGroup(pid, dir).alive()) {
      // Re-check: it may have finished between the two looks.
      if (Files.exists(dir.resolve("exit")))
        return Adoption.followed(new SupervisedHandle(dir, pid, log));
      return Adoption.unknown(
          run.objectName() + "'s supervisor ended without recording an exit status");
    }
    log.accept(
        "[gateway] re-adopted "
            + run.objectName()
            + " (process group "
            + pid
            + ") after a gateway restart");
    return Adoption.followed(new SupervisedHandle(dir, pid, log));
  }

  private static long readPid(Path dir) {
    try {
      return Long.parseLong(Files.readString(dir.resolve("pid")).trim());
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
  }

  /** A running or finished attempt, followed through its directory. */
  private final class SupervisedHandle implements Handle {
    private final Path dir;
    private final long spawnedPid;
    private final OutputTail output;
    private long pid;
    private long terminateSentAt;
    private boolean killed;

    /** When the group was first seen with no live process and no exit status recorded (0: not). */
    private long goneSince;

    private long nextGroupLook = System.nanoTime();

    /** The outcome once known: every later poll answers the same. */
    private Outcome ended;

    SupervisedHandle(Path dir, long pid, Consumer<String> log) {
      this.dir = dir;
      this.spawnedPid = pid;
      this.pid = pid;
      this.output = new OutputTail(dir, log);
    }

    private ProcessGroup group() {
      long recorded = readPid(dir); // written by the supervisor itself, once it runs
      if (recorded > 0) pid = recorded;
      return new ProcessGroup(pid > 0 ? pid : spawnedPid, dir);
    }

    @Override
    public String state() {
      return "process-group/" + pid;
    }

    @Override
    public Outcome poll() {
      if (ended == null) ended = look();
      return ended;
    }

    private Outcome look() {
      output.pump(false);
      Outcome done = recordedExit();
      if (done != null) return done;
      // The exit file is checked on every look; the process group (a walk over /proc) less often.
      long now = System.nanoTime();
      if (now - nextGroupLook < 0) return null;
      nextGroupLook = now + GROUP_LOOK_EVERY.toNanos();
      ProcessGroup group = group();
      boolean alive = group.alive();
      if (!alive && terminateSentAt == 0) {
        // An attempt the gateway did not stop ends by recording its exit status. Seen gone
        // without one, it is looked at again a while later before it counts as lost: one look at
        // /proc can miss a supervisor (a process between fork and exec, a pid file being renamed).
        if (goneSince == 0) goneSince = System.nanoTime();
        if (System.nanoTime() - goneSince < CONFIRM_GONE.toNanos()) return null;
      } else if (alive) {
        goneSince = 0;
      }
      if (alive) {
        if (terminateSentAt != 0
            && !killed
            && System.nanoTime() - terminateSentAt > killGrace.toNanos()) {
          group.kill();
          killed = true;
        } else if (terminateSentAt != 0 && !killed) {
          group.terminate(); // also reaches what was started since the first signal
        }
        return null;
      }
      done = recordedExit(); // it may have finished between the two looks
      if (done != null) return done;
      output.pump(true);
      return new Outcome(
          false,
          terminateSentAt != 0
              ? "stopped" + (killed ? " (killed after ignoring SIGTERM)" : "")
              : "the command's supervisor (process group "
                  + group.leader()
                  + ") ended without recording an exit status");
    }

    private Outcome recordedExit() {
      Path exit = dir.resolve("exit");
      if (!Files.exists(exit)) return null;
      String text;
      try {
        text = Files.readString(exit).trim();
      } catch (IOException e) {
        return null;
      }
      // The supervisor is done; anything it left running in its group must not outlive it
      // unnoticed, but the exit status is the command's.
      output.pump(true);
      int code;
      try {
        code = Integer.parseInt(text);
      } catch (NumberFormatException e) {
        return new Outcome(
            false, "unreadable exit status " + io.division.core.model.Messages.quote(text));
      }
      return new Outcome(code == 0, "exit code " + code);
    }

    @Override
    public void cancel() {
      if (terminateSentAt != 0) return;
      terminateSentAt = System.nanoTime();
      group().terminate();
    }

    @Override
    public void forget() {
      deleteTree(dir);
    }
  }

  // --- the state directory -----------------------------------------------------------------------

  private static void prepareStateDir(Path dir) {
    try {
      if (!Files.exists(dir)) {
        Files.createDirectories(dir.getParent());
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
      }
      if (!Files.isDirectory(dir))
        throw DivisionException.invalid(
            "the gateway's state directory " + dir + " is not a directory");
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir);
      if (perms.contains(PosixFilePermission.GROUP_WRITE)
          || perms.contains(PosixFilePermission.OTHERS_WRITE))
        throw DivisionException.invalid(
            "the gateway's state directory "
                + dir
                + " is writable by others ("
                + PosixFilePermissions.toString(perms)
                + "): make it 0700");
    } catch (IOException e) {
      throw DivisionException.invalid(
          "cannot prepare the gateway's state directory " + dir + ": " + e.getMessage());
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: nothing to check
    }
  }

  /** Records of attempts that finished a week ago: their outcome is long in the store. */
  private void removeOldRecords() {
    Instant cutoff = Instant.now().minus(KEEP_FINISHED);
    try (Stream<Path> namespaces = Files.list(stateDir)) {
      for (Path ns : namespaces.toList()) {
        if (!Files.isDirectory(ns)) continue;
        try (Stream<Path> attempts = Files.list(ns)) {
          for (Path a : attempts.toList()) {
            Path exit = a.resolve("exit");
            if (Files.exists(exit) && Files.getLastModifiedTime(exit).toInstant().isBefore(cutoff))
              deleteTree(a);
          }
        }
      }
    } catch (IOException e) {
      // best effort
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList())
        Files.deleteIfExists(p);
    } catch (IOException e) {
      // best effort: a leftover record is removed a week later
    }
  }

  private static java.util.Optional<Path> findSetsid() {
    for (String candidate : List.of("/usr/bin/setsid", "/bin/setsid"))
      if (Files.isExecutable(Path.of(candidate))) return java.util.Optional.of(Path.of(candidate));
    return java.util.Optional.empty();
  }

  public static final class Builder {
    private List<String> command;
    private Path workingDir;
    private Path stateDir;
    private Duration killGrace = Duration.ofSeconds(10);

    private Builder() {}

    /** The command and its arguments, from the gateway's own command line. */
    public Builder command(List<String> command) {
      this.command = command;
      return this;
    }

    public Builder workingDir(Path workingDir) {
      this.workingDir = workingDir;
      return this;
    }

    /** Where the supervisors keep their records (created 0700; refused if others can write it). */
    public Builder stateDir(Path stateDir) {
      this.stateDir = stateDir;
      return this;
    }

    /** How long a command may take to end after SIGTERM before its group gets SIGKILL. */
    public Builder killGrace(Duration killGrace) {
      this.killGrace = killGrace;
      return this;
    }

    public ProcessExecutor build() {
      return new ProcessExecutor(this);
    }
  }
}
