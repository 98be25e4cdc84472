package io.division.bench;

import io.division.core.model.Json;
import io.division.core.model.ObjectMeta;
import io.division.core.model.Resource;
import io.division.core.model.ResourceKey;
import io.division.core.store.RelistingWatch;
import io.division.core.store.Store;
import io.division.core.store.Watch;
import io.division.core.store.WatchEvent;
import io.division.core.store.WatchQuery;
import io.division.core.store.dynamodb.DynamoBackend;
import io.division.core.store.dynamodb.DynamoDbLocalServer;
import io.division.core.store.dynamodb.DynamoSettings;
import io.division.core.wait.SharedWaits;
import io.division.core.wait.WaitListener;
import io.division.core.wait.WaitSpec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Issue 13's DynamoDB figures as deployed: DynamoDB Local in its own JVM, a writer in another, and
 * each watcher a JVM of its own (1, 10, 50), once with fixed polling and once with adaptive
 * polling, on the same write schedule. Reports reaction times (the writer's System.nanoTime before
 * the write call to the watcher's when the event arrives: CLOCK_MONOTONIC on Linux, one clock for
 * every process on the machine), and what each idle watcher reads, as DynamoDB reports it
 * (ReturnConsumedCapacity TOTAL through {@link DynamoBackend#watchReads()}), with the monthly cost
 * that implies.
 *
 * <p>The children talk over stdin/stdout, one command or answer per line; each child exits when its
 * stdin closes, so none outlives the harness even if the harness is killed.
 */
final class DynamoProcsBench {
  static final String KIND = "BenchEvent";

  /** us-east-1 on-demand list price per million read request units (check before relying). */
  static final double USD_PER_MILLION_RRU = 0.125;

  static final double HOURS_PER_MONTH = 730;

  /** The JVM options `./div` runs with, and a heap fitting 50 of them on this machine. */
  private static final List<String> CHILD_JVM =
      List.of(
          "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:-UsePerfData", "-Xmx96m", "-Xss512k");

  private DynamoProcsBench() {}

  /** One round's outcome. */
  private record Round(
      String mode,
      String who,
      int watchers,
      Stats all,
      Stats afterQuiet,
      Stats inBursts,
      long expected,
      double loadWhileWriting,
      double idleReadsPerHour,
      double idleUnitsPerHour,
      double activeReadsPerSecond,
      double load) {}

  /**
   * @param watcherCounts a pair of rounds (fixed, adaptive) for each number of watcher processes
   * @param waits a last pair of rounds with one process holding this many shared waits (0: none)
   */
  static void run(int[] watcherCounts, List<String> modes, int waits, int writes, int idleSeconds)
      throws Exception {
    List<Process> started = new CopyOnWriteArrayList<>();
    Thread cleanup = new Thread(() -> stopAll(started));
    Runtime.getRuntime().addShutdownHook(cleanup);
    List<Round> rounds = new ArrayList<>();
    try {
      Child local = Child.start(List.of(started), List.of(), "ddb-local-child");
      String ready = local.expect("ready ");
      URI endpoint = URI.create("http://127.0.0.1:" + ready.substring("ready ".length()));
      int round = 0;
      for (int n : watcherCounts) {
        for (String mode : modes) {
          rounds.add(
              round(started, endpoint, "procs" + (++round), mode, n, 0, writes, idleSeconds));
        }
      }
      if (waits > 0) {
        for (String mode : modes) {
          rounds.add(
              round(started, endpoint, "procs" + (++round), mode, 1, waits, writes, idleSeconds));
        }
      }
    } finally {
      stopAll(started);
      Runtime.getRuntime().removeShutdownHook(cleanup);
    }
    print(rounds, writes, idleSeconds);
  }

  private static Round round(
      List<Process> started,
      URI endpoint,
      String prefix,
      String mode,
      int n,
      int waits,
      int writes,
      int idleSeconds)
      throws Exception {
    double load = loadAverage();
    System.err.printf(
        Locale.ROOT,
        "round %s: %d %s watcher process(es), %d shared waits, load %.2f%n",
        prefix,
        n,
        mode,
        waits,
        load);
    List<Process> mine = new ArrayList<>();
    List<List<Process>> registries = List.of(started, mine);
    try {
      // The writer creates the tables before any watcher opens its watch.
      Child writer =
          Child.start(
              registries,
              CHILD_JVM,
              "ddb-writer-child",
              endpoint.toString(),
              prefix,
              Integer.toString(writes),
              "13");
      writer.expect("ready");
      List<Child> watchers = new ArrayList<>();
      if (waits > 0) {
        watchers.add(
            Child.start(
                registries,
                CHILD_JVM,
                "ddb-waits-child",
                endpoint.toString(),
                prefix,
                mode,
                Integer.toString(waits),
                Integer.toString(writes)));
      } else {
        for (int i = 0; i < n; i++)
          watchers.add(
              Child.start(
                  registries, CHILD_JVM, "ddb-watcher-child", endpoint.toString(), prefix, mode));
      }
      for (Child w : watchers) w.expect("ready");
      // Warm-up writes: the first events a fresh JVM handles pay for class loading and JIT.
      writer.send("warm");
      writer.expect("warmed");
      awaitEvents(watchers, 10, 60);
      // Adaptive watchers reach their idle interval 1.4 s after the last change.
      park(Duration.ofSeconds(3));
      long[][] idleStart = reads(watchers);
      long idleFrom = System.nanoTime();
      park(Duration.ofSeconds(idleSeconds));
      long[][] idleEnd = reads(watchers);
      double idleHours = (System.nanoTime() - idleFrom) / 3.6e12;
      writer.send("go");
      long activeFrom = System.nanoTime();
      writer.expect("done");
      double loadWhileWriting = loadAverage();
      awaitEvents(watchers, 10 + writes, 120);
      long[][] activeEnd = reads(watchers);
      double activeSeconds = (System.nanoTime() - activeFrom) / 1e9;
      List<Long> all = new ArrayList<>();
      List<Long> quiet = new ArrayList<>();
      List<Long> burst = new ArrayList<>();
      for (Child w : watchers) {
        w.send("stop");
        String line;
        while (!(line = w.expect("")).equals("end")) {
          String[] f = line.split(" ");
          if (!f[0].equals("lat")) continue;
          long nanos = Long.parseLong(f[1]);
          all.add(nanos);
          (f[2].equals("q") ? quiet : burst).add(nanos);
        }
      }
      double idleReads = 0;
      double idleUnits = 0;
      double activeReads = 0;
      for (int i = 0; i < n; i++) {
        idleReads += (idleEnd[i][0] + idleEnd[i][1]) - (idleStart[i][0] + idleStart[i][1]);
        idleUnits += (idleEnd[i][2] - idleStart[i][2]) / 1000.0;
        activeReads += (activeEnd[i][0] + activeEnd[i][1]) - (idleEnd[i][0] + idleEnd[i][1]);
        if (activeEnd[i][3] != 0) throw new IOException("DynamoDB reported no consumed capacity");
      }
      return new Round(
          mode,
          waits > 0
              ? "1 process, " + waits + " shared waits"
              : n + (n == 1 ? " watcher process" : " watcher processes"),
          n,
          Stats.ofNanos(all),
          Stats.ofNanos(quiet),
          Stats.ofNanos(burst),
          (long) n * writes,
          loadWhileWriting,
          idleReads / n / idleHours,
          idleUnits / n / idleHours,
          activeReads / n / activeSeconds,
          load);
    } finally {
      stopAll(mine);
      started.removeAll(mine);
      // Let the machine settle after stopping up to 50 JVMs, before the next round starts.
      park(Duration.ofSeconds(15));
    }
  }

  /** Each watcher's {counter reads, change queries, milli-units, unreported, events seen}. */
  private static long[][] reads(List<Child> watchers) throws IOException {
    for (Child w : watchers) w.send("reads");
    long[][] out = new long[watchers.size()][];
    for (int i = 0; i < out.length; i++) {
      String[] f = watchers.get(i).expect("reads ").split(" ");
      out[i] =
          new long[] {
            Long.parseLong(f[1]),
            Long.parseLong(f[2]),
            Math.round(Double.parseDouble(f[3]) * 1000),
            Long.parseLong(f[4]),
            Long.parseLong(f[5])
          };
    }
    return out;
  }

  /** Until every watcher has seen {@code count} events, or the deadline. */
  private static void awaitEvents(List<Child> watchers, long count, int seconds)
      throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      long[][] r = reads(watchers);
      boolean all = true;
      for (long[] w : r) all &= w[4] >= count;
      if (all) return;
      park(Duration.ofMillis(500));
    }
    System.err.println("warning: not every watcher saw " + count + " events in " + seconds + " s");
  }

  private static void print(List<Round> rounds, int writes, int idleSeconds) {
    System.out.println(
        "## dynamodb-procs: DynamoDB Local, writer and each watcher in its own process\n");
    System.out.printf(
        Locale.ROOT,
        "Per round: %d measured writes (after 10 unmeasured warm-up writes), half after a quiet"
            + " spell of 1-4 s and half in bursts 50-300 ms apart, the same schedule in every round;"
            + " idle reads counted over %d s with nothing written. Poll interval 200 ms; adaptive:"
            + " doubling to %d ms while idle.%n%n",
        writes,
        idleSeconds,
        DynamoSettings.DEFAULT_IDLE_POLL_INTERVAL.toMillis());
    System.out.println(
        "| polling | who reads | load at start / after the writes | reaction p50 ms | p90 ms | p99 ms | max ms | events (of)"
            + " | p99 after a quiet spell ms | p99 in bursts ms |");
    System.out.println("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (Round r : rounds) {
      System.out.printf(
          Locale.ROOT,
          "| %s | %s | %.1f / %.1f | %.1f | %.1f | %.1f | %.1f | %d (%d) | %.1f | %.1f |%n",
          r.mode(),
          r.who(),
          r.load(),
          r.loadWhileWriting(),
          r.all().p50(),
          r.all().p90(),
          r.all().p99(),
          r.all().max(),
          r.all().n(),
          r.expected(),
          r.afterQuiet().p99(),
          r.inBursts().p99());
    }
    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "Reads of one idle process (as DynamoDB reported them) and what they cost on demand at"
            + " $%.3f per million read request units, %.0f hours a month:%n%n",
        USD_PER_MILLION_RRU,
        HOURS_PER_MONTH);
    System.out.println(
        "| polling | who reads | reads per process per hour | RRU per process per hour | reads/s per"
            + " process while writing | USD per process per month | USD per month, all |");
    System.out.println("| --- | --- | ---: | ---: | ---: | ---: | ---: |");
    for (Round r : rounds) {
      double monthly = r.idleUnitsPerHour() * HOURS_PER_MONTH * USD_PER_MILLION_RRU / 1e6;
      System.out.printf(
          Locale.ROOT,
          "| %s | %s | %.0f | %.0f | %.2f | %.3f | %.2f |%n",
          r.mode(),
          r.who(),
          r.idleReadsPerHour(),
          r.idleUnitsPerHour(),
          r.activeReadsPerSecond(),
          monthly,
          monthly * r.watchers());
    }
    System.out.println();
  }

  static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  static void park(Duration d) {
    LockSupport.parkNanos(d.toNanos());
  }

  static void stopAll(List<Process> processes) {
    for (Process p : processes) {
      try {
        p.getOutputStream().close(); // children exit when their stdin closes
      } catch (IOException ignored) {
        // already gone
      }
    }
    for (Process p : processes) {
      try {
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
          p.destroy();
          if (!p.waitFor(5, TimeUnit.SECONDS)) p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  /** A child JVM of this harness and its line protocol. */
  static final class Child {
    private final Process process;
    private final BufferedReader out;
    private final PrintStream in;

    private Child(Process process) {
      this.process = process;
      this.out =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      this.in = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
    }

    /** Starts a child and registers it in each list (stopped from there, also on failure). */
    static Child start(List<List<Process>> registries, List<String> jvmOptions, String... args)
        throws IOException {
      Process p = Processes.child(jvmOptions, args);
      for (List<Process> r : registries) r.add(p);
      return new Child(p);
    }

    void send(String command) {
      in.println(command);
    }

    /** The next line starting with {@code prefix} (lines before it are skipped). */
    String expect(String prefix) throws IOException {
      String line;
      while ((line = out.readLine()) != null) if (line.startsWith(prefix)) return line;
      throw new IOException(
          "child " + process.pid() + " exited before printing \"" + prefix + "\"");
    }
  }

  // --- the children ------------------------------------------------------------------------------

  static DynamoSettings.Builder settings(String endpoint, String prefix) {
    return DynamoSettings.builder()
        .tablePrefix(prefix)
        .endpoint(URI.create(endpoint))
        .region("us-east-1")
        .staticCredentials(
            DynamoDbLocalServer.ACCESS_KEY_ID, DynamoDbLocalServer.SECRET_ACCESS_KEY);
  }

  private static BufferedReader stdin() {
    return new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
  }

  /** DynamoDB Local on a free port of 127.0.0.1, in memory, until stdin closes. */
  static void localChild() throws Exception {
    try (DynamoDbLocalServer server = DynamoDbLocalServer.start()) {
      System.out.println("ready " + server.port());
      System.out.flush();
      BufferedReader commands = stdin();
      while (commands.readLine() != null) {
        // nothing to do but wait for the harness to close stdin
      }
    }
    System.exit(0); // DynamoDB Local leaves non-daemon threads behind
  }

  /**
   * Creates the tables, then on "warm" writes 10 warm-up events 100 ms apart and on "go" the
   * measured ones on a fixed pseudo-random schedule; each carries its System.nanoTime taken just
   * before the write call.
   */
  static void writerChild(String endpoint, String prefix, int writes, long seed) throws Exception {
    try (Store store = new Store(DynamoBackend.open(settings(endpoint, prefix).build()))) {
      store.create(event("init", false, false));
      System.out.println("ready");
      System.out.flush();
      BufferedReader commands = stdin();
      String command;
      while ((command = commands.readLine()) != null) {
        if (command.equals("warm")) {
          for (int i = 0; i < 10; i++) {
            park(Duration.ofMillis(100));
            store.create(event("warm-" + i, true, false));
          }
          System.out.println("warmed");
        } else if (command.equals("go")) {
          Random random = new Random(seed);
          for (int i = 0; i < writes; i++) {
            boolean quiet = i % 2 == 0;
            long gap = quiet ? 1000 + random.nextInt(3001) : 50 + random.nextInt(251);
            park(Duration.ofMillis(gap));
            store.create(event("m-" + i, false, quiet));
          }
          System.out.println("done");
        }
        System.out.flush();
      }
    }
    System.exit(0);
  }

  /**
   * A Jenkins controller's side: {@code n} waits in one {@link SharedWaits} on a 2-thread scheduler
   * (its own timer in Jenkins), as {@code divWait} steps make them. Waits for the creation of the
   * warm-up and measured events end as they are written; the rest wait for resources never written,
   * so the process keeps polling. Speaks the watcher's protocol.
   */
  static void waitsChild(String endpoint, String prefix, String mode, int n, int writes)
      throws Exception {
    DynamoSettings.Builder b = settings(endpoint, prefix);
    if (mode.equals("fixed")) b.fixedPolling();
    DynamoBackend backend = DynamoBackend.open(b.build());
    List<String> latencies = new ArrayList<>();
    long[] seen = new long[1];
    Object lock = new Object();
    ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(2);
    try (Store store = new Store(backend);
        SharedWaits waits = SharedWaits.builder(store, timer).build()) {
      WaitListener listener =
          status -> {
            long now = System.nanoTime();
            var spec = status.resource() == null ? null : status.resource().spec();
            synchronized (lock) {
              seen[0]++;
              if (spec != null && !spec.path("warmup").asBoolean(true))
                latencies.add(
                    "lat "
                        + (now - spec.path("sentNanos").asLong())
                        + (spec.path("afterQuiet").asBoolean() ? " q" : " b"));
            }
          };
      List<String> names = new ArrayList<>();
      for (int i = 0; i < 10; i++) names.add("warm-" + i);
      for (int i = 0; i < writes; i++) names.add("m-" + i);
      for (int i = names.size(); i < n; i++) names.add("never-" + i);
      for (String name : names)
        waits.register(
            WaitSpec.builder()
                .key(new ResourceKey(KIND, "default", name))
                .waitFor("create")
                .build(),
            listener);
      System.out.println("ready");
      System.out.flush();
      serveCommands(backend, latencies, seen, lock);
    } finally {
      timer.shutdownNow();
    }
  }

  /** Answers the harness until stdin closes, then ends the process. */
  private static void serveCommands(
      DynamoBackend backend, List<String> latencies, long[] seen, Object lock) {
    try {
      BufferedReader in = stdin();
      String command;
      while ((command = in.readLine()) != null) {
        synchronized (lock) {
          if (command.equals("reads")) {
            DynamoBackend.WatchReads r = backend.watchReads();
            System.out.printf(
                Locale.ROOT,
                "reads %d %d %.3f %d %d%n",
                r.counterReads(),
                r.changeQueries(),
                r.readUnits(),
                r.unreported(),
                seen[0]);
          } else if (command.equals("stop")) {
            latencies.forEach(System.out::println);
            System.out.println("end");
          }
          System.out.flush();
        }
      }
    } catch (IOException e) {
      // the harness is gone
    }
    System.exit(0);
  }

  private static Resource event(String name, boolean warmup, boolean afterQuiet) {
    return new Resource(
        null,
        KIND,
        ObjectMeta.named(name, "default"),
        Json.object()
            .put("warmup", warmup)
            .put("afterQuiet", afterQuiet)
            .put("sentNanos", System.nanoTime()),
        null);
  }

  /**
   * Watches the kind as {@code div get KIND --watch} does (a relisting watch polled every 250 ms)
   * and keeps the reaction time of each measured event; answers "reads" with its watch reads and
   * the events seen, "stop" with the reaction times.
   */
  static void watcherChild(String endpoint, String prefix, String mode) throws Exception {
    DynamoSettings.Builder b = settings(endpoint, prefix);
    if (mode.equals("fixed")) b.fixedPolling();
    else if (!mode.equals("adaptive")) throw new IllegalArgumentException("mode " + mode);
    DynamoBackend backend = DynamoBackend.open(b.build());
    List<String> latencies = new ArrayList<>();
    long[] seen = new long[1];
    Object lock = new Object();
    Thread commands = new Thread(() -> serveCommands(backend, latencies, seen, lock));
    try (Store store = new Store(backend);
        Watch watch = new RelistingWatch(store, new WatchQuery(KIND, null, null, null), null)) {
      System.out.println("ready");
      System.out.flush();
      commands.start();
      while (true) {
        WatchEvent e = watch.poll(Duration.ofMillis(250));
        if (e == null) continue;
        long now = System.nanoTime();
        var spec = e.resource().spec();
        synchronized (lock) {
          seen[0]++;
          if (!spec.path("warmup").asBoolean(true)) {
            latencies.add(
                "lat "
                    + (now - spec.path("sentNanos").asLong())
                    + (spec.path("afterQuiet").asBoolean() ? " q" : " b"));
          }
        }
      }
    }
  }
}
