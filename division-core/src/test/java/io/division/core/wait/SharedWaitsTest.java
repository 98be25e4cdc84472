package io.division.core.wait;

import static io.division.core.wait.WaitCheckTest.approval;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.division.core.model.Json;
import io.division.core.model.Resource;
import io.division.core.model.ResourceKey;
import io.division.core.store.ListQuery;
import io.division.core.store.LogLine;
import io.division.core.store.ResourceList;
import io.division.core.store.Store;
import io.division.core.store.StoreBackend;
import io.division.core.store.Watch;
import io.division.core.store.WatchQuery;
import io.division.core.store.Write;
import io.division.core.store.sqlite.SqliteBackend;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Many waits on one store, on a small executor the test owns. */
class SharedWaitsTest {
  @TempDir Path dir;
  CountingBackend backend;
  Store store;
  ScheduledThreadPoolExecutor executor;
  SharedWaits waits;

  /** The real SQLite backend, counting the reads made through it. */
  static final class CountingBackend implements StoreBackend {
    final StoreBackend real;
    final AtomicLong gets = new AtomicLong();
    final AtomicLong lists = new AtomicLong();
    final AtomicLong watches = new AtomicLong();

    CountingBackend(StoreBackend real) {
      this.real = real;
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
      watches.incrementAndGet();
      return real.watch(query);
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

  /** Records what one listener hears. */
  static final class Heard implements WaitListener {
    final List<WaitStatus> ends = new ArrayList<>();
    volatile int seen;

    @Override
    public void seen(Resource resource) {
      seen++;
    }

    @Override
    public synchronized void ended(WaitStatus status) {
      ends.add(status);
    }

    synchronized List<WaitStatus> ends() {
      return List.copyOf(ends);
    }
  }

  @BeforeEach
  void open() {
    backend = new CountingBackend(SqliteBackend.open(dir.resolve("division.db")));
    store = new Store(backend);
    executor = new ScheduledThreadPoolExecutor(2);
    waits = SharedWaits.builder(store, executor).pollInterval(Duration.ofMillis(50)).build();
  }

  @AfterEach
  void close() throws InterruptedException {
    waits.close();
    executor.shutdown();
    assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    store.close();
  }

  private static WaitSpec approvedSpec(String name) {
    return WaitSpec.builder()
        .key(new ResourceKey("Approval", "default", name))
        .until("status.phase = 'Approved'")
        .failWhen("status.phase = 'Rejected'")
        .build();
  }

  @Test
  void fiveHundredWaitsShareOneWatchAndTwoThreads() {
    int n = 500;
    Map<String, Heard> heard = new ConcurrentHashMap<>();
    for (int i = 0; i < n; i++) store.create(approval("a" + i, "Pending"));
    long getsBefore = backend.gets.get();
    for (int i = 0; i < n; i++) {
      Heard h = new Heard();
      heard.put("a" + i, h);
      waits.register(approvedSpec("a" + i), h);
    }
    for (int i = 0; i < n; i++) {
      String phase = i % 10 == 0 ? "Rejected" : "Approved";
      store.modify(
          new ResourceKey("Approval", "default", "a" + i),
          r -> r.withStatus(Json.object().put("phase", phase)));
    }
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> heard.values().stream().allMatch(h -> h.ends().size() == 1));
    for (int i = 0; i < n; i++) {
      assertThat(heard.get("a" + i).ends())
          .singleElement()
          .extracting(WaitStatus::state)
          .isEqualTo(i % 10 == 0 ? WaitStatus.State.FAILED : WaitStatus.State.MET);
    }
    assertThat(executor.getLargestPoolSize()).isLessThanOrEqualTo(2);
    // The first reads of the registered waits were lists, not one read each; one watch served
    // all 500 waits, and modify() accounts for the single reads.
    assertThat(backend.gets.get() - getsBefore).isLessThanOrEqualTo(2L * n);
    assertThat(backend.watches.get()).isLessThanOrEqualTo(3);
    await().atMost(Duration.ofSeconds(10)).until(() -> waits.pollers() == 0);
  }

  @Test
  void readsPerPassDoNotGrowWithTheNumberOfWaits() {
    for (int i = 0; i < 200; i++) waits.register(approvedSpec("w" + i), new Heard());
    await().atMost(Duration.ofSeconds(10)).until(() -> waits.passes() > 3);
    long gets = backend.gets.get();
    long lists = backend.lists.get();
    long passes = waits.passes();
    await().atMost(Duration.ofSeconds(10)).until(() -> waits.passes() > passes + 10);
    // Idle passes read the change log only: no per-wait reads, no lists.
    assertThat(backend.gets.get()).isEqualTo(gets);
    assertThat(backend.lists.get()).isEqualTo(lists);
    assertThat(waits.pollers()).isEqualTo(1);
  }

  @Test
  void cancelDeadlineAndDeletionEachEndExactlyOnce() {
    Heard cancelled = new Heard();
    Heard timedOut = new Heard();
    Heard deleted = new Heard();
    store.create(approval("gone", "Pending"));
    SharedWaits.Handle handle = waits.register(approvedSpec("c1"), cancelled);
    waits.register(
        approvedSpec("t1").toBuilder().timeout(Duration.ofMillis(200), Clock.systemUTC()).build(),
        timedOut);
    SharedWaits.Handle gone = waits.register(approvedSpec("gone"), deleted);
    handle.cancel();
    handle.cancel();
    await().atMost(Duration.ofSeconds(10)).until(() -> deleted.seen > 0);
    store.delete(new ResourceKey("Approval", "default", "gone"));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> timedOut.ends().size() == 1 && deleted.ends().size() == 1);
    assertThat(cancelled.ends())
        .singleElement()
        .extracting(WaitStatus::state)
        .isEqualTo(WaitStatus.State.CANCELLED);
    assertThat(timedOut.ends().get(0).state()).isEqualTo(WaitStatus.State.TIMED_OUT);
    assertThat(deleted.ends().get(0).state()).isEqualTo(WaitStatus.State.DELETED);
    assertThat(gone.spec().lastSeenVersion()).isNotNull();
    waits.close();
    assertThat(cancelled.ends()).hasSize(1);
  }
}
