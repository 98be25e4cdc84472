package io.division.bench;

import io.division.core.model.Json;
import io.division.core.model.ObjectMeta;
import io.division.core.model.Resource;
import io.division.core.model.ResourceKey;
import io.division.core.store.Store;
import io.division.core.store.sqlite.SqliteBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Whole-process figures: `./div get approvals` (50 approvals) against `kubectl version --client` (a
 * Go CLI that does no I/O), alternated in one run; and `div wait`'s reaction time.
 */
final class CliBench {
  static void startup(Path repo, Path work, int runs) throws Exception {
    Path home = work.resolve("cli-home");
    Files.createDirectories(home);
    try (Store store = new Store(SqliteBackend.open(home.resolve("division.db")))) {
      for (int i = 0; i < 50; i++)
        store.apply(
            new Resource(null, "Approval", ObjectMeta.named("a" + i, "default"), null, null));
    }
    Map<String, String> env = Map.of("DIVISION_HOME", home.toString());
    String launcher = repo.resolve("div").toString();
    List<String> div = List.of(launcher, "get", "approvals");
    List<String> version = List.of(launcher, "version");
    List<String> kubectl = List.of("kubectl", "version", "--client");
    boolean haveKubectl =
        Files.isExecutable(Path.of("/usr/bin/kubectl"))
            || Files.isExecutable(Path.of("/usr/local/bin/kubectl"));
    // The launcher prefers a JDK 25+; the harness's own JDK (17) shows what the fallback costs.
    Path ownJava = Path.of(System.getProperty("java.home"), "bin", "java");
    Map<String, String> env17 =
        Runtime.version().feature() < 25
            ? Map.of("DIVISION_HOME", home.toString(), "DIV_JAVA", ownJava.toString())
            : null;
    for (int i = 0; i < 3; i++) {
      Processes.timeNanos(div, env); // the first run trains the start-up archive
      if (env17 != null) Processes.timeNanos(div, env17);
    }
    double loadBefore = loadAverage();
    List<Long> d = new ArrayList<>();
    List<Long> v = new ArrayList<>();
    List<Long> k = new ArrayList<>();
    List<Long> d17 = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      d.add(Processes.timeNanos(div, env));
      v.add(Processes.timeNanos(version, env));
      if (haveKubectl) k.add(Processes.timeNanos(kubectl, env));
      if (env17 != null) d17.add(Processes.timeNanos(div, env17));
    }
    double loadAfter = loadAverage();
    Stats ds = Stats.ofNanos(d);
    Stats vs = Stats.ofNanos(v);
    System.out.println("## cli: whole-process wall time, " + runs + " alternating runs each\n");
    System.out.printf(
        Locale.ROOT,
        "1-minute load average %.2f before the runs, %.2f after%n%n",
        loadBefore,
        loadAfter);
    System.out.println(
        "| command | p50 ms | p90 ms | p99 ms | max ms | n |\n| --- | ---: | ---: | ---: | ---: | ---: |");
    System.out.println("| ./div get approvals (50 approvals) | " + ds.row() + " |");
    System.out.println("| ./div version | " + vs.row() + " |");
    if (haveKubectl)
      System.out.println("| kubectl version --client | " + Stats.ofNanos(k).row() + " |");
    if (env17 != null)
      System.out.println(
          "| ./div get approvals on Java "
              + Runtime.version().feature()
              + " (DIV_JAVA) | "
              + Stats.ofNanos(d17).row()
              + " |");
    if (haveKubectl) {
      Stats ks = Stats.ofNanos(k);
      System.out.printf(
          Locale.ROOT,
          "%nmedian ratio div get / kubectl: %.2fx (target at most 2x, never above 3x)%n",
          ds.p50() / ks.p50());
      if (env17 != null)
        System.out.printf(
            Locale.ROOT,
            "median ratio div get on Java %d / kubectl: %.2fx%n",
            Runtime.version().feature(),
            Stats.ofNanos(d17).p50() / ks.p50());
      System.out.println();
    } else {
      System.out.println(
          "\nkubectl is not installed here: no comparison (apt-get install kubernetes-client)\n");
    }
  }

  private static double loadAverage() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  /**
   * `div wait` reaction: the waiter is started and given a head start (its JVM start-up is not what
   * is measured); then this process approves, and the time to the waiter's exit is taken.
   */
  static void waitReaction(Path repo, Path work, int runs) throws Exception {
    Path home = work.resolve("wait-home");
    Files.createDirectories(home);
    List<Long> reactions = new ArrayList<>();
    try (Store store = new Store(SqliteBackend.open(home.resolve("division.db")))) {
      for (int i = 0; i < runs; i++) {
        String name = "w" + i;
        store.apply(new Resource(null, "Approval", ObjectMeta.named(name, "default"), null, null));
        ProcessBuilder pb =
            new ProcessBuilder(
                    repo.resolve("div").toString(),
                    "wait",
                    "approval",
                    name,
                    "status.phase = 'Approved'",
                    "--timeout",
                    "60s")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("DIVISION_HOME", home.toString());
        Process p = pb.start();
        Thread.sleep(1500); // head start: JVM start, store open, watch open
        long s = System.nanoTime();
        store.modify(
            new ResourceKey("Approval", "default", name),
            r -> r.withStatus(Json.object().put("phase", "Approved")));
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0)
          throw new IOException("div wait did not succeed");
        reactions.add(System.nanoTime() - s);
      }
    }
    Stats s = Stats.ofNanos(reactions);
    System.out.println(
        "## wait: approve in this process to `div wait`'s exit (waiter started 1.5 s earlier)\n");
    System.out.println(
        "| p50 ms | p90 ms | p99 ms | max ms | n |\n| ---: | ---: | ---: | ---: | ---: |");
    System.out.println("| " + s.row() + " |\n");
  }
}
