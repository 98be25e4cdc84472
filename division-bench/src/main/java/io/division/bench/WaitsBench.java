package io.division.bench;

import io.division.core.model.Json;
import io.division.core.model.ObjectMeta;
import io.division.core.model.Resource;
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
import io.division.core.store.dynamodb.DynamoBackend;
import io.division.core.store.dynamodb.DynamoDbLocalServer;
import io.division.core.store.sqlite.SqliteBackend;
import io.division.core.wait.SharedWaits;
import io.division.core.wait.WaitListener;
import io.division.core.wait.WaitSpec;
import io.division.core.wait.WaitStatus;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Issue 13's "many waits, one poller": N concurrent waits registered with one {@link SharedWaits}
 * on a two-thread scheduled executor (as a Jenkins controller passes its timer), on the embedded
 * store and on DynamoDB Local (in this JVM). Counts the store calls made through the backend (get,
 * list, and change-log polls, each of which is at most one read), the threads used, and the
 * reaction time from a write's start to its wait's end.
 */
final class WaitsBench {
  private static final Duration POLL = Duration.ofMillis(250);
  private static final long IDLE_SECONDS = 5;
  private static final long CHANGE_SECONDS = 10;

  static void run(Path work, int... sizes) throws Exception {
    System.out.println(
        "## waits: N concurrent waits on one SharedWaits, 2-thread executor, "
            + POLL.toMillis()
            + " ms poll\n");
    System.out.println(
        "Store calls are get + list + change-log polls (each poll reads the store at most once),"
            + " per second, while idle ("
            + IDLE_SECONDS
            + " s) and while every awaited resource is written once over "
            + CHANGE_SECONDS
            + " s. Reaction: write call start to the wait's end.\n");
    System.out.println(
        "| store | waits | executor threads used | other new JVM threads | store calls/s idle"
            + " | store calls/s while changing | reaction p50 ms | p99 ms | max ms |");
    System.out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (int n : sizes) {
      Path db = work.resolve("waits-" + n + ".db");
      row("embedded SQLite", n, () -> SqliteBackend.open(db));
    }
    try (DynamoDbLocalServer server = DynamoDbLocalServer.start()) {
      for (int n : sizes) {
        String prefix = DynamoDbLocalServer.uniquePrefix();
        row("DynamoDB Local", n, () -> DynamoBackend.open(server.settings(prefix)));
      }
    }
    System.out.println();
  }

  private static void row(String name, int n, Supplier<StoreBackend> open) throws Exception {
    Counting backend = new Counting(open.get());
    String kind = "BenchWait";
    try (Store store = new Store(backend)) {
      List<Resource> batch = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        batch.add(
            new Resource(
                null,
                kind,
                ObjectMeta.named("w" + i, "default"),
                null,
                Json.object().put("phase", "Pending")));
        if (batch.size() == 25) {
          store.applyAll(batch);
          batch.clear();
        }
      }
      if (!batch.isEmpty()) store.applyAll(batch);

      int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
      ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(2);
      List<Long> reactions = Collections.synchronizedList(new ArrayList<>());
      AtomicInteger ended = new AtomicInteger();
      AtomicInteger peakThreads = new AtomicInteger(threadsBefore);
      try (SharedWaits waits = SharedWaits.builder(store, executor).pollInterval(POLL).build()) {
        WaitListener listener =
            new WaitListener() {
              @Override
              public void ended(WaitStatus status) {
                long now = System.nanoTime();
                if (status.state() == WaitStatus.State.MET)
                  reactions.add(now - status.resource().spec().path("sentNanos").asLong());
                ended.incrementAndGet();
              }
            };
        for (int i = 0; i < n; i++) {
          waits.register(
              WaitSpec.builder()
                  .key(new ResourceKey(kind, "default", "w" + i))
                  .until("spec.sentNanos > 0")
                  .build(),
              listener);
        }
        long start = System.nanoTime();
        while (waits.passes() < 3 && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(60))
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));

        long idleCalls = backend.calls();
        long idleStart = System.nanoTime();
        sampleUntil(idleStart + TimeUnit.SECONDS.toNanos(IDLE_SECONDS), peakThreads);
        double idleRate = (backend.calls() - idleCalls) / seconds(System.nanoTime() - idleStart);

        long changeCalls = backend.calls();
        long changeStart = System.nanoTime();
        long interval = TimeUnit.SECONDS.toNanos(CHANGE_SECONDS) / n;
        long next = changeStart;
        for (int i = 0; i < n; i++) {
          LockSupport.parkNanos(Math.max(0, next - System.nanoTime()));
          next += interval;
          long sent = System.nanoTime();
          store.modify(
              new ResourceKey(kind, "default", "w" + i),
              r -> r.withSpec(Json.object().put("sentNanos", sent)));
          peakThreads.accumulateAndGet(
              ManagementFactory.getThreadMXBean().getThreadCount(), Math::max);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (ended.get() < n && System.nanoTime() < deadline)
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        // Store calls made by the waits only: the writer's own reads (modify) are subtracted.
        double changeRate =
            (backend.calls() - changeCalls - backend.writerReads(n))
                / seconds(System.nanoTime() - changeStart);
        Stats s = Stats.ofNanos(new ArrayList<>(reactions));
        System.out.printf(
            Locale.ROOT,
            "| %s | %d | %d | %d | %.1f | %.1f | %.1f | %.1f | %.1f |%n",
            name,
            n,
            executor.getLargestPoolSize(),
            Math.max(0, peakThreads.get() - threadsBefore - executor.getLargestPoolSize()),
            idleRate,
            changeRate,
            s.p50(),
            s.p99(),
            s.max());
      } finally {
        executor.shutdownNow();
        executor.awaitTermination(10, TimeUnit.SECONDS);
      }
    }
  }

  private static void sampleUntil(long until, AtomicInteger peak) {
    while (System.nanoTime() < until) {
      peak.accumulateAndGet(ManagementFactory.getThreadMXBean().getThreadCount(), Math::max);
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
    }
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }

  /** The real backend, counting the store calls made through it. */
  private static final class Counting implements StoreBackend {
    private final StoreBackend real;
    private final AtomicLong gets = new AtomicLong();
    private final AtomicLong lists = new AtomicLong();
    private final AtomicLong polls = new AtomicLong();

    Counting(StoreBackend real) {
      this.real = real;
    }

    long calls() {
      return gets.get() + lists.get() + polls.get();
    }

    /** {@code Store.modify} reads each resource once before writing it. */
    long writerReads(int n) {
      return n;
    }

    @Override
    public String describe() {
      return real.describe();
    }

    @Override
    public Optional<Resource> get(ResourceKey key) {
      gets.incrementAndGet();
      return real.get(key);
    }

    @Override
    public ResourceList list(ListQuery query) {
      lists.incrementAndGet();
      return real.list(query);
    }

    @Override
    public List<Resource> write(List<Write> writes) {
      return real.write(writes);
    }

    @Override
    public Watch watch(WatchQuery query) {
      Watch inner = real.watch(query);
      return new Watch() {
        @Override
        public WatchEvent poll(Duration timeout) throws InterruptedException {
          polls.incrementAndGet();
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
