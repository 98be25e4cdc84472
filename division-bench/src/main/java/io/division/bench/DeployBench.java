package io.division.bench;

import io.division.core.deploy.DeployProgress;
import io.division.core.deploy.DeployRequest;
import io.division.core.deploy.DeploySubmission;
import io.division.core.deploy.Deployer;
import io.division.core.deploy.GatewayOptions;
import io.division.core.kind.BuiltinKinds;
import io.division.core.model.Json;
import io.division.core.model.ObjectMeta;
import io.division.core.model.Resource;
import io.division.core.store.ListQuery;
import io.division.core.store.Store;
import io.division.core.store.sqlite.SqliteBackend;
import io.division.gateway.GatewayDaemon;
import io.division.gateway.ProcessExecutor;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Issue 5's figures: deploy overhead with the process executor (from the deploy's start to the
 * command's start, and from the command's exit to the deploy's end), and one gateway reconciling
 * 1,000 applications in a JVM limited to 256 MiB of heap.
 */
final class DeployBench {
  /** The command marks its first and last moment with the wall clock, in nanoseconds. */
  private static final String MARKING_COMMAND = "date +%s%N >> marks.txt; date +%s%N >> marks.txt";

  static void overhead(Path repo, Path work, int runs) throws Exception {
    String load = loadAverage();
    Path dir = work.resolve("deploy");
    Files.createDirectories(dir);
    AtomicBoolean stop = new AtomicBoolean();
    List<Long> toStart = new ArrayList<>();
    List<Long> toEnd = new ArrayList<>();
    try (Store store = new Store(SqliteBackend.open(dir.resolve("division.db")))) {
      store.apply(
          new Resource(
              null,
              BuiltinKinds.APPLICATION,
              ObjectMeta.named("app", "default"),
              Json.object().put("project", "p"),
              null));
      Thread gateway =
          new Thread(
              () -> {
                try {
                  GatewayDaemon.builder()
                      .store(store)
                      .options(GatewayOptions.of("c1"))
                      .executor(
                          ProcessExecutor.builder()
                              .command(List.of("/bin/sh", "-c", MARKING_COMMAND))
                              .workingDir(dir)
                              .stateDir(dir.resolve("gateway-state"))
                              .build())
                      .events(m -> {})
                      .build()
                      .run(stop::get);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      gateway.start();
      while (store.list(ListQuery.all(BuiltinKinds.CLUSTER)).items().isEmpty()) Thread.sleep(20);
      for (int i = 0; i < runs + 3; i++) {
        Files.deleteIfExists(dir.resolve("marks.txt"));
        long begin = wallNanos();
        Deployer deployer = new Deployer(store, Clock.systemUTC());
        DeploySubmission submission =
            deployer.submit(
                DeployRequest.builder()
                    .project("p")
                    .app("app")
                    .ref("v" + i)
                    .cluster("c1")
                    .timeout(Duration.ofMinutes(1))
                    .build());
        DeployProgress r;
        while (true) {
          long mark = store.changeMark();
          r = deployer.advance(submission);
          submission = r.submission();
          if (r.state().ended()) break;
          store.awaitChange(mark, Duration.ofMillis(250));
        }
        long end = wallNanos();
        if (r.state() != DeployProgress.State.SUCCEEDED)
          throw new IOException("deploy failed: " + r.table());
        List<String> marks = Files.readAllLines(dir.resolve("marks.txt"));
        if (i < 3) continue; // warm-up
        toStart.add(Long.parseLong(marks.get(0)) - begin);
        toEnd.add(end - Long.parseLong(marks.get(1)));
      }
      // The same, with `./div deploy` as a whole process, as CI runs it (JVM start-up included).
      List<Long> cliToStart = new ArrayList<>();
      List<Long> cliToEnd = new ArrayList<>();
      for (int i = 0; i < runs / 2 + 1; i++) {
        Files.deleteIfExists(dir.resolve("marks.txt"));
        ProcessBuilder pb =
            new ProcessBuilder(
                    repo.resolve("div").toString(),
                    "deploy",
                    "--project",
                    "p",
                    "--app",
                    "app",
                    "--ref",
                    "cli" + i,
                    "--cluster",
                    "c1",
                    "--timeout",
                    "1m")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("DIVISION_HOME", dir.toString());
        long begin = wallNanos();
        Process p = pb.start();
        if (p.waitFor() != 0) throw new IOException("div deploy failed");
        long end = wallNanos();
        List<String> marks = Files.readAllLines(dir.resolve("marks.txt"));
        if (i == 0) continue; // trains the CLI's start-up archive
        cliToStart.add(Long.parseLong(marks.get(0)) - begin);
        cliToEnd.add(end - Long.parseLong(marks.get(1)));
      }
      stop.set(true);
      gateway.join();
      Stats a = Stats.ofNanos(toStart);
      Stats b = Stats.ofNanos(toEnd);
      System.out.println(
          "## deploy overhead: process executor, embedded store, gateway in the harness's JVM\n");
      System.out.println("Load average (1, 5, 15 min) when this part started: " + load + ".\n");
      System.out.println(
          "| leg | p50 ms | p90 ms | p99 ms | max ms | n |\n| --- | ---: | ---: | ---: | ---: | ---: |");
      System.out.println(
          "| in-process Deployer (submit, advance): deploy start to command start | "
              + a.row()
              + " |");
      System.out.println(
          "| in-process Deployer (submit, advance): command exit to deploy end | "
              + b.row()
              + " |");
      System.out.println(
          "| `./div deploy` process: start to command start | "
              + Stats.ofNanos(cliToStart).row()
              + " |");
      System.out.println(
          "| `./div deploy` process: command exit to process exit | "
              + Stats.ofNanos(cliToEnd).row()
              + " |\n");
    }
  }

  /** The 1-, 5- and 15-minute load averages, since these figures are wall times. */
  private static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
      return parts[0] + ", " + parts[1] + ", " + parts[2];
    } catch (IOException e) {
      return "unknown (" + e.getMessage() + ")";
    }
  }

  private static long wallNanos() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  static void gatewayScale(Path work, int apps) throws Exception {
    Path dir = work.resolve("scale");
    Files.createDirectories(dir);
    Path db = dir.resolve("division.db");
    try (Store store = new Store(SqliteBackend.open(db))) {
      List<Resource> batch = new ArrayList<>();
      for (int i = 0; i < apps; i++) {
        String app = "app-" + i;
        batch.add(
            new Resource(
                null,
                BuiltinKinds.APPLICATION,
                ObjectMeta.named(app, "default"),
                Json.object().put("project", "p"),
                null));
        batch.add(
            new Resource(
                null,
                BuiltinKinds.DEPLOYMENT,
                ObjectMeta.named(app, "default"),
                Json.object()
                    .put("project", "p")
                    .put("app", app)
                    .put("ref", "v1")
                    .put("request", "r-" + i),
                null));
        if (batch.size() >= 400) {
          store.applyAll(batch);
          batch.clear();
        }
      }
      if (!batch.isEmpty()) store.applyAll(batch);
    }
    List<String> cmd =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx256m",
            "-XX:+UseSerialGC",
            "-cp",
            System.getProperty("java.class.path"),
            Bench.class.getName(),
            "scale-child",
            db.toString(),
            Integer.toString(apps));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    int code = p.waitFor();
    System.out.println(
        "## gateway scale: "
            + apps
            + " applications with their deployments, one gateway, -Xmx256m\n");
    System.out.println(out.strip().isEmpty() ? "(no output)" : out.strip());
    System.out.println("\nchild exit code: " + code + "\n");
  }

  static void scaleChild(Path db, int apps) throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    long peak = 0;
    long started = System.nanoTime();
    int succeeded = 0;
    try (Store store = new Store(SqliteBackend.open(db))) {
      Thread gateway =
          new Thread(
              () -> {
                try {
                  GatewayDaemon.builder()
                      .store(store)
                      .options(GatewayOptions.of("c1"))
                      .executor(
                          ProcessExecutor.builder()
                              .command(List.of("true"))
                              .workingDir(db.getParent())
                              .stateDir(db.getParent().resolve("gateway-state"))
                              .build())
                      .events(m -> {})
                      .build()
                      .run(stop::get);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      gateway.start();
      long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
      while (System.nanoTime() < deadline) {
        peak = Math.max(peak, heapUsed());
        succeeded =
            (int)
                store.list(ListQuery.all(BuiltinKinds.INSTALL)).items().stream()
                    .filter(i -> "Succeeded".equals(i.statusText("phase")))
                    .count();
        if (succeeded >= apps) break;
        Thread.sleep(500);
      }
      stop.set(true);
      gateway.join();
    }
    long elapsed = System.nanoTime() - started;
    System.out.printf(
        Locale.ROOT,
        "| measure | value |%n| --- | ---: |%n| installs succeeded | %d of %d |%n| time to reconcile and run all | %.1f s |%n"
            + "| peak heap used (sampled every 0.5 s, includes garbage) | %.1f MiB |%n| max heap | %.0f MiB |%n",
        succeeded,
        apps,
        elapsed / 1e9,
        peak / 1048576.0,
        Runtime.getRuntime().maxMemory() / 1048576.0);
  }

  private static long heapUsed() {
    long used = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) used += pool.getUsage().getUsed();
    }
    return used;
  }
}
