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
    List<String> div = List.of(repo.resolve("div").toString(), "get", "approvals");
    List<String> version = List.of(repo.resolve("div").toString(), "version");
    List<String> kubectl = List.of("kubectl", "version", "--client");
    boolean haveKubectl =
        Files.isExecutable(Path.of("/usr/bin/kubectl"))
            || Files.isExecutable(Path.of("/usr/local/bin/kubectl"));
    for (int i = 0; i < 3; i++)
      Processes.timeNanos(div, env); // the first run trains the start-up archive
    List<Long> d = new ArrayList<>();
    List<Long> v = new ArrayList<>();
    List<Long> k = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      d.add(Processes.timeNanos(div, env));
      v.add(Processes.timeNanos(version, env));
      if (haveKubectl) k.add(Processes.timeNanos(kubectl, env));
    }
    Stats ds = Stats.ofNanos(d);
    Stats vs = Stats.ofNanos(v);
    System.out.println("## cli: whole-process wall time, " + runs + " alternating runs each\n");
    System.out.println(
        "| command | p50 ms | p90 ms | p99 ms | max ms | n |\n| --- | ---: | ---: | ---: | ---: | ---: |");
    System.out.println("| ./div get approvals (50 approvals) | " + ds.row() + " |");
    System.out.println("| ./div version | " + vs.row() + " |");
    if (haveKubectl) {
      Stats ks = Stats.ofNanos(k);
      System.out.println("| kubectl version --client | " + ks.row() + " |");
      System.out.printf(
          Locale.ROOT,
          "%nmedian ratio div get / kubectl: %.2fx (target at most 2x, never above 4x)%n%n",
          ds.p50() / ks.p50());
    } else {
      System.out.println(
          "\nkubectl is not installed here: no comparison (apt-get install kubernetes-client)\n");
    }
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
