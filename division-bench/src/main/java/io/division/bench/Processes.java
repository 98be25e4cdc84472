package io.division.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Starts child JVMs of this harness and whole commands, and times the latter. */
final class Processes {
  private Processes() {}

  /** A child JVM running {@code Bench} in one of its child modes. */
  static Process child(String... args) throws IOException {
    return child(List.of(), args);
  }

  /** As {@link #child(String...)}, with JVM options. */
  static Process child(List<String> jvmOptions, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmOptions);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Bench.class.getName());
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }

  /** Blocks until the child prints {@code ready}. */
  static BufferedReader awaitReady(Process p) throws IOException {
    BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = r.readLine()) != null) if (line.equals("ready")) return r;
    throw new IOException("child exited before it was ready");
  }

  /** Wall time of a whole command, output discarded. */
  static long timeNanos(List<String> command, Map<String, String> env)
      throws IOException, InterruptedException {
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD);
    pb.environment().putAll(env);
    long s = System.nanoTime();
    Process p = pb.start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException(String.join(" ", command) + " did not finish");
    }
    long t = System.nanoTime() - s;
    if (p.exitValue() != 0)
      throw new IOException(String.join(" ", command) + " exited " + p.exitValue());
    return t;
  }
}
