package io.division.gateway;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The processes of one supervised attempt, found from Linux's {@code /proc}: the supervisor (its
 * pid recorded by itself in the gateway's state directory) leads its own process group, so
 * everything the command started is found by group, even after a gateway restart re-parented it. A
 * pid counts as the supervisor only if its command line names the attempt's own state directory: a
 * pid reused by an unrelated process is never signalled.
 */
final class ProcessGroup {
  static final String SUPERVISOR_NAME = "div-supervisor";
  private static final Path PROC = Path.of("/proc");

  private final long leader;
  private final Path attemptDir;

  ProcessGroup(long leader, Path attemptDir) {
    this.leader = leader;
    this.attemptDir = attemptDir;
  }

  long leader() {
    return leader;
  }

  /** Whether the supervisor itself still runs (and is ours, not a reused pid). */
  boolean supervisorAlive() {
    Optional<List<String>> args = commandLine(leader);
    return args.isPresent()
        && args.get().contains(SUPERVISOR_NAME)
        && args.get().contains(attemptDir.toString());
  }

  /**
   * The live members: the group the supervisor leads, or, where it could not lead one (no {@code
   * setsid}), the supervisor and its descendants.
   */
  List<ProcessHandle> members() {
    List<ProcessHandle> out = new ArrayList<>();
    boolean supervisor = supervisorAlive();
    if (supervisor && processGroupOf(leader) != leader) {
      ProcessHandle.of(leader).ifPresent(out::add);
      ProcessHandle.of(leader).ifPresent(h -> h.descendants().forEach(out::add));
      return out;
    }
    // Every process, as the JDK lists them (from /proc), checked for its group.
    ProcessHandle.allProcesses()
        .filter(h -> h.pid() != leader || supervisor) // the leader's pid reused: not ours
        .filter(h -> processGroupOf(h.pid()) == leader && !zombie(h.pid()))
        .forEach(out::add);
    return out;
  }

  boolean alive() {
    return !members().isEmpty();
  }

  /** SIGTERM to every member. */
  void terminate() {
    members().forEach(ProcessHandle::destroy);
  }

  /** SIGKILL to every member. */
  void kill() {
    members().forEach(ProcessHandle::destroyForcibly);
  }

  /**
   * The supervisor of an attempt that has not recorded its pid yet (a gateway that stopped right
   * after starting it), found by its command line, which names the attempt's directory; or -1.
   */
  static long findSupervisor(Path attemptDir) {
    return ProcessHandle.allProcesses()
        .mapToLong(ProcessHandle::pid)
        .filter(pid -> new ProcessGroup(pid, attemptDir).supervisorAlive() && ownedByUs(pid))
        .findFirst()
        .orElse(-1);
  }

  /** Whether the process runs as this gateway's own user (a look-alike of another is not ours). */
  private static boolean ownedByUs(long pid) {
    String self = ProcessHandle.current().info().user().orElse(null);
    return self != null
        && ProcessHandle.of(pid).flatMap(h -> h.info().user()).map(self::equals).orElse(false);
  }

  /** The process group id from /proc/PID/stat, or -1. */
  static long processGroupOf(long pid) {
    try {
      String stat = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"));
      // pid (comm) state ppid pgrp ...: comm may hold spaces and parentheses, so count from the
      // last ')'.
      String[] rest = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(rest[2]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** An ended process its parent has not collected yet: it runs nothing any more. */
  private static boolean zombie(long pid) {
    try {
      String stat = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"));
      return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
    } catch (IOException | RuntimeException e) {
      return true; // gone
    }
  }

  private static Optional<List<String>> commandLine(long pid) {
    try {
      byte[] raw = Files.readAllBytes(PROC.resolve(Long.toString(pid)).resolve("cmdline"));
      if (raw.length == 0) return Optional.empty(); // a zombie
      return Optional.of(List.of(new String(raw, StandardCharsets.UTF_8).split("\0")));
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
