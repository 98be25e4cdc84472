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
 * store and on DynamoDB Local (in this JVM), beside the reference of checking each wait on its own.
 * Counts the store reads made through the backend (gets, lists, change-log reads), the threads
 * used, and the reaction time from a write's start to its wait's end.
 */
final class WaitsBench {
  private static final Duration POLL = Duration.ofMillis(250);
  private static final long IDLE_SECONDS = 5;
  private static final int WRITES_PER_SECOND = 50;

  static void run(Path work, int... sizes) throws Exception {
    System.out.println(
        "## waits: N concurrent waits on one SharedWaits, 2-thread executor, "
            + POLL.toMillis()
            + " ms poll\n");
    System.out.println(
        "Store reads are gets, lists and change-log reads (one per watch poll that went to the"
            + " store), per second, while idle ("
            + IDLE_SECONDS
            + " s) and while every awaited resource is written once, "
            + WRITES_PER_SECOND
            + " writes/s. Reaction: write call start to the wait's end. The reference rows check"
            + " each wait on its own (WaitCheck, one read per wait per poll) from one thread of the"
            + " same executor.\n");
    System.out.println(
        "| store | how | waits | executor threads used | other new JVM threads | store reads/s"
            + " idle | store reads/s while changing | reaction p50 ms | p99 ms | max ms |");
    System.out.println("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (int n : sizes) {
      for (boolean shared : new boolean[] {true, false}) {
        Path db = work.resolve("waits-" + n + "-" + shared + ".db");
        row("embedded SQLite", shared, n, () -> SqliteBackend.open(db));
      }
    }
    try (DynamoDbLocalServer server = DynamoDbLocalServer.start()) {
      for (int n : sizes) {
        for (boolean shared : new boolean[] {true, false}) {
          String prefix = DynamoDbLocalServer.uniquePrefix();
          row("DynamoDB Local", shared, n, () -> DynamoBackend.open(server.settings(prefix)));
        }
      }
    }
    System.out.println();
  }

  private static void row(String name, boolean shared, int n, Supplier<StoreBackend> open)
      throws Exception {
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
      SharedWaits waits = SharedWaits.builder(store, executor).pollInterval(POLL).build();
      try {
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
        List<WaitSpec> specs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          specs.add(
              WaitSpec.builder()
                  .key(new ResourceKey(kind, "default", "w" + i))
                  .until("spec.sentNanos > 0")
                  .build());
        }
        if (shared) {
          for (WaitSpec spec : specs) waits.register(spec, listener);
        } else {
          checkEach(store, specs, listener, executor);
        }
        // Let the first reads of the registrations pass before counting.
        LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(2));

        long idleCalls = backend.calls();
        long idleStart = System.nanoTime();
        sampleUntil(idleStart + TimeUnit.SECONDS.toNanos(IDLE_SECONDS), peakThreads);
        double idleRate = (backend.calls() - idleCalls) / seconds(System.nanoTime() - idleStart);

        long changeCalls = backend.calls();
        long changeStart = System.nanoTime();
        long interval = TimeUnit.SECONDS.toNanos(1) / WRITES_PER_SECOND;
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
            "| %s | %s | %d | %d | %d | %.1f | %.1f | %.1f | %.1f | %.1f |%n",
            name,
            shared ? "SharedWaits" : "WaitCheck per wait (reference)",
            n,
            executor.getLargestPoolSize(),
            Math.max(0, peakThreads.get() - threadsBefore - executor.getLargestPoolSize()),
            idleRate,
            changeRate,
            s.p50(),
            s.p99(),
            s.max());
      } finally {
        waits.close();
        executor.shutdownNow();
        executor.awaitTermination(10, TimeUnit.SECONDS);
      }
    }
  }

  /** The reference: every pending wait checked on its own at each poll, from one task. */
  private static void checkEach(
      Store store, List<WaitSpec> specs, WaitListener listener, ScheduledThreadPoolExecutor ex) {
    List<WaitSpec> pending = new ArrayList<>(specs);
    java.time.Clock clock = java.time.Clock.systemUTC();
    ex.scheduleWithFixedDelay(
        () -> {
          for (int i = pending.size() - 1; i >= 0; i--) {
            WaitStatus s = io.division.core.wait.WaitCheck.check(store, pending.get(i), clock);
            if (s.ended()) {
              pending.remove(i);
              listener.ended(s);
            } else {
              pending.set(i, s.spec());
            }
          }
        },
        0,
        POLL.toNanos(),
        TimeUnit.NANOSECONDS);
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
    private volatile boolean inBatch;

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
          // Each run of polls ends with one that finds nothing: that one read the change log,
          // and so did the first poll of a run that returned events (later ones come from the
          // watch's buffer). Undercounts only a second read within one run (over 512 changes,
          // or changes landing mid-run), which these write rates do not reach.
          WatchEvent e = inner.poll(timeout);
          if (e == null) {
            polls.incrementAndGet();
            inBatch = false;
          } else if (!inBatch) {
            polls.incrementAndGet();
            inBatch = true;
          }
          return e;
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
