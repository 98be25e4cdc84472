package io.division.jenkins;

import io.division.core.Division;
import io.division.core.approval.Approvals;
import io.division.core.approval.Identity;
import io.division.core.config.DivConfig;
import io.division.core.model.ResourceKey;
import io.division.core.store.ListQuery;
import io.division.core.store.LogLine;
import io.division.core.store.ResourceList;
import io.division.core.store.Store;
import io.division.core.store.StoreBackend;
import io.division.core.store.Watch;
import io.division.core.store.WatchEvent;
import io.division.core.store.WatchQuery;
import io.division.core.store.Write;
import io.division.core.store.sqlite.SqliteBackend;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bench behind "500 concurrent divWaits" in docs/benchmarks.md: N divWait steps (the plugin's
 * own executions, through fake step contexts) on one embedded store, with a 2-thread scheduler in
 * place of Jenkins' Timer. Measures the threads used, the store calls per second while all wait
 * (idle) and the reaction from an approval's write to its step's end. Run by {@code scripts/bench
 * jenkins-waits}; not a test.
 */
public final class DivWaitBench {
  private DivWaitBench() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 500;
    Path dir = Files.createTempDirectory("divwait-bench");
    Counting backend = new Counting(SqliteBackend.open(dir.resolve("d.db")));
    Division division = new Division(new DivConfig(null, null, List.of(), dir), new Store(backend));
    ScheduledThreadPoolExecutor timer = TestSupport.timer();
    TestRuntime runtime = new TestRuntime(division, timer, Clock.systemUTC());
    try {
      StringBuilder yaml = new StringBuilder();
      for (int i = 0; i < n; i++) {
        yaml.append("---\nkind: Approval\nmetadata:\n  name: a").append(i).append('\n');
      }
      division.apply(
          io.division.core.manifest.ManifestReader.read("bench", yaml.toString()), "default");
      int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
      List<StepRunner.Started> waits = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        waits.add(
            StepRunner.start(
                DivWaitStep.class,
                Map.of("kind", "approval", "name", "a" + i, "until", "status.phase = 'Approved'")));
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (!waits.stream().allMatch(w -> w.context().log().contains("waiting for"))) {
        if (System.nanoTime() > deadline) throw new IllegalStateException("waits did not arm");
        Thread.sleep(20);
      }
      Thread.sleep(1000); // first reads of every registration settle
      long calls0 = backend.calls();
      long t0 = System.nanoTime();
      Thread.sleep(10_000);
      double idle = (backend.calls() - calls0) / ((System.nanoTime() - t0) / 1e9);
      int threadsWaiting = ManagementFactory.getThreadMXBean().getThreadCount();

      List<Long> reactions = Collections.synchronizedList(new ArrayList<>());
      for (int i = 0; i < n; i++) {
        long sent = System.nanoTime();
        Approvals.approve(
            division.store(),
            new ResourceKey("Approval", "default", "a" + i),
            Identity.declared("bench"),
            null,
            Approvals.Signing.NONE,
            Clock.systemUTC());
        StepRunner.await(waits.get(i).context(), Duration.ofSeconds(30));
        reactions.add(System.nanoTime() - sent);
      }
      Collections.sort(reactions);
      System.out.println("## jenkins-waits: " + n + " concurrent divWait steps, embedded store\n");
      System.out.println(
          "The plugin's divWait executions, started through fake step contexts, on a 2-thread"
              + " scheduler standing in for Jenkins' Timer; one SharedWaits poller per store and"
              + " kind. Store calls are get + list + watch polls per second while all "
              + n
              + " wait. Reaction: approval write start to the step's onSuccess, approvals made one"
              + " at a time.\n");
      System.out.println(
          "| divWaits | scheduler threads used | JVM threads before → while waiting |"
              + " store calls/s idle | reaction p50 ms | p99 ms | max ms |");
      System.out.println("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
      System.out.printf(
          "| %d | %d | %d → %d | %.1f | %.0f | %.0f | %.0f |%n%n",
          n,
          timer.getLargestPoolSize(),
          threadsBefore,
          threadsWaiting,
          idle,
          ms(reactions, 0.50),
          ms(reactions, 0.99),
          reactions.get(reactions.size() - 1) / 1e6);
    } finally {
      runtime.closeWaits();
      runtime.close();
      timer.shutdownNow();
      division.close();
    }
  }

  private static double ms(List<Long> sorted, double q) {
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1)) / 1e6;
  }

  /** Counts the reads the waits make: gets, lists and watch polls. */
  private static final class Counting implements StoreBackend {
    private final StoreBackend real;
    private final AtomicLong reads = new AtomicLong();

    Counting(StoreBackend real) {
      this.real = real;
    }

    long calls() {
      return reads.get();
    }

    @Override
    public String describe() {
      return real.describe();
    }

    @Override
    public Optional<io.division.core.model.Resource> get(ResourceKey key) {
      reads.incrementAndGet();
      return real.get(key);
    }

    @Override
    public ResourceList list(ListQuery query) {
      reads.incrementAndGet();
      return real.list(query);
    }

    @Override
    public List<io.division.core.model.Resource> write(List<Write> writes) {
      return real.write(writes);
    }

    @Override
    public Watch watch(WatchQuery query) {
      Watch inner = real.watch(query);
      return new Watch() {
        @Override
        public WatchEvent poll(Duration timeout) throws InterruptedException {
          reads.incrementAndGet();
          return inner.poll(timeout);
        }

        @Override
        public void close() {
          inner.close();
        }
      };
    }

    @Override
    public long appendLog(ResourceKey key, List<String> lines) {
      return real.appendLog(key, lines);
    }

    @Override
    public List<LogLine> readLog(ResourceKey key, long afterSeq, int limit) {
      return real.readLog(key, afterSeq, limit);
    }

    @Override
    public long changeMark() {
      return real.changeMark();
    }

    @Override
    public void awaitChange(long mark, Duration timeout) throws InterruptedException {
      real.awaitChange(mark, timeout);
    }

    @Override
    public void close() {
      real.close();
    }
  }
}
