package io.division.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.division.core.logs.LogBatcher;
import io.division.core.logs.LogFollower;
import io.division.core.model.Json;
import io.division.core.model.ObjectMeta;
import io.division.core.model.Resource;
import io.division.core.model.ResourceKey;
import io.division.core.store.Store;
import io.division.core.store.Watch;
import io.division.core.store.WatchEvent;
import io.division.core.store.WatchQuery;
import io.division.core.store.sqlite.SqliteBackend;
import java.io.BufferedReader;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Issue 3's cross-process figures on the embedded store: watch latency (an apply in this process to
 * the event in another) and log throughput and latency (a writer here, a following reader there).
 * Times are System.nanoTime, which on Linux is CLOCK_MONOTONIC, shared by all processes.
 */
final class WatchLogBench {
  private static final ResourceKey LOG_KEY = new ResourceKey("Approval", "default", "log-target");

  static void watch(Path work, int writes, int perSecond) throws Exception {
    Path db = work.resolve("watch.db");
    try (Store store = new Store(SqliteBackend.open(db))) {
      // The first events a fresh JVM handles pay for class loading and JIT: a warm-up round of
      // writes comes first and is not counted.
      int warmup = 100;
      Process child =
          Processes.child("watch-child", db.toString(), Integer.toString(warmup + writes));
      BufferedReader in = Processes.awaitReady(child);
      for (int i = 0; i < warmup; i++) {
        LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1) / perSecond);
        store.apply(
            new Resource(
                null,
                "Approval",
                ObjectMeta.named("w" + (i % 50), "default"),
                Json.object().put("sentNanos", System.nanoTime()).put("warmup", true),
                null));
      }
      long interval = TimeUnit.SECONDS.toNanos(1) / perSecond;
      long next = System.nanoTime();
      List<Long> applyTimes = new ArrayList<>();
      for (int i = 0; i < writes; i++) {
        LockSupport.parkNanos(Math.max(0, next - System.nanoTime()));
        next += interval;
        long sent = System.nanoTime();
        ObjectNode spec = Json.object().put("sentNanos", sent);
        store.apply(
            new Resource(
                null, "Approval", ObjectMeta.named("w" + (i % 50), "default"), spec, null));
        applyTimes.add(System.nanoTime() - sent);
      }
      List<Long> latencies = new ArrayList<>();
      String line;
      while ((line = in.readLine()) != null) latencies.add(Long.parseLong(line));
      child.waitFor();
      Stats s = Stats.ofNanos(latencies);
      System.out.println(
          "## watch: apply in one process to the event in another (embedded store)\n");
      System.out.printf(
          Locale.ROOT,
          "%d applies at %d/s after %d unmeasured warm-up applies; events received: %d%n%n",
          writes,
          perSecond,
          warmup,
          latencies.size());
      System.out.println(
          "| measure | p50 ms | p90 ms | p99 ms | max ms | n |\n| --- | ---: | ---: | ---: | ---: | ---: |");
      System.out.println("| apply to event in the other process | " + s.row() + " |");
      System.out.println(
          "| the apply call alone (writer side) | " + Stats.ofNanos(applyTimes).row() + " |\n");
    }
  }

  static void watchChild(Path db, int expected) throws Exception {
    PrintStream out = System.out;
    try (Store store = new Store(SqliteBackend.open(db));
        Watch watch = store.watch(new WatchQuery("Approval", null, null, null))) {
      out.println("ready");
      out.flush();
      List<Long> latencies = new ArrayList<>();
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
      while (latencies.size() < expected && System.nanoTime() < deadline) {
        WatchEvent e = watch.poll(Duration.ofSeconds(1));
        if (e == null) continue;
        long latency = System.nanoTime() - e.resource().spec().path("sentNanos").asLong();
        if (e.resource().spec().path("warmup").asBoolean()) {
          expected--;
        } else {
          latencies.add(latency);
        }
      }
      latencies.forEach(out::println);
    }
  }

  static void logs(Path work, int lines, int pacedLines, int pacedPerSecond) throws Exception {
    Path db = work.resolve("logs.db");
    try (Store store = new Store(SqliteBackend.open(db))) {
      store.apply(
          new Resource(null, "Approval", ObjectMeta.named(LOG_KEY.name(), "default"), null, null));
      // Throughput: as fast as the writer goes; the reader reports when the last line arrived.
      Process child = Processes.child("logs-child", db.toString(), Integer.toString(lines));
      BufferedReader in = Processes.awaitReady(child);
      long start = System.nanoTime();
      try (LogBatcher batcher = LogBatcher.forStore(store, LOG_KEY)) {
        for (int i = 0; i < lines; i++)
          batcher.add(
              System.nanoTime()
                  + " line "
                  + i
                  + " of the throughput run, some text like a deploy prints");
      }
      long writerDone = System.nanoTime();
      long lastArrival = Long.parseLong(in.readLine());
      child.waitFor();
      double writeRate = lines / ((writerDone - start) / 1e9);
      double endToEnd = lines / ((lastArrival - start) / 1e9);

      // Latency: a paced writer, each line carrying its send time.
      store.delete(LOG_KEY);
      store.apply(
          new Resource(null, "Approval", ObjectMeta.named(LOG_KEY.name(), "default"), null, null));
      Process paced =
          Processes.child("logs-latency-child", db.toString(), Integer.toString(pacedLines));
      BufferedReader pin = Processes.awaitReady(paced);
      long interval = TimeUnit.SECONDS.toNanos(1) / pacedPerSecond;
      long next = System.nanoTime();
      try (LogBatcher batcher = LogBatcher.forStore(store, LOG_KEY)) {
        for (int i = 0; i < pacedLines; i++) {
          LockSupport.parkNanos(Math.max(0, next - System.nanoTime()));
          next += interval;
          batcher.add(Long.toString(System.nanoTime()));
        }
      }
      List<Long> latencies = new ArrayList<>();
      String line;
      while ((line = pin.readLine()) != null) latencies.add(Long.parseLong(line));
      paced.waitFor();
      Stats s = Stats.ofNanos(latencies);
      System.out.println(
          "## logs: writer in one process, following reader in another (embedded store)\n");
      System.out.println("| measure | value |\n| --- | ---: |");
      System.out.printf(
          Locale.ROOT,
          "| lines | %d |%n| writer rate (lines/s) | %.0f |%n| writer start to last line read (lines/s) | %.0f |%n",
          lines,
          writeRate,
          endToEnd);
      System.out.printf(
          Locale.ROOT,
          "| paced latency, %d lines at %d/s: p50 / p99 / max (ms) | %.2f / %.2f / %.2f |%n%n",
          pacedLines,
          pacedPerSecond,
          s.p50(),
          s.p99(),
          s.max());
    }
  }

  static void logsChild(Path db, int expected, boolean latency) throws Exception {
    PrintStream out = System.out;
    try (Store store = new Store(SqliteBackend.open(db))) {
      LogFollower follower = new LogFollower(store, LOG_KEY);
      out.println("ready");
      out.flush();
      long[] count = {0};
      long[] last = {0};
      List<Long> latencies = new ArrayList<>();
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
      follower.follow(
          l -> {
            count[0]++;
            last[0] = System.nanoTime();
            if (latency) latencies.add(last[0] - Long.parseLong(l.text()));
          },
          () -> count[0] >= expected || System.nanoTime() > deadline,
          Duration.ofMillis(500));
      if (latency) latencies.forEach(out::println);
      else out.println(last[0]);
    }
  }
}
