package io.division.core.wait;

import static io.division.core.wait.WaitCheckTest.A1;
import static io.division.core.wait.WaitCheckTest.approval;
import static io.division.core.wait.WaitCheckTest.approved;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.division.core.model.Json;
import io.division.core.model.Resource;
import io.division.core.model.ResourceKey;
import io.division.core.store.LogLine;
import io.division.core.store.Store;
import io.division.core.store.sqlite.SqliteBackend;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The blocking session, run on a thread of the test while the test writes the store. */
class WaitSessionTest {
  @TempDir Path dir;
  Store store;
  final ExecutorService runner = Executors.newSingleThreadExecutor();
  final Recorder sink = new Recorder();
  final CancelToken cancel = new CancelToken();

  static final class Recorder implements WaitSink {
    final List<String> seen = new CopyOnWriteArrayList<>();
    final List<String> lines = new CopyOnWriteArrayList<>();
    final List<String> events = new CopyOnWriteArrayList<>();
    final List<WaitStatus> ended = new CopyOnWriteArrayList<>();

    @Override
    public void seen(Resource resource) {
      seen.add(resource.resourceVersion());
    }

    @Override
    public void log(ResourceKey key, LogLine line) {
      lines.add(line.text());
      events.add("log " + line.text());
    }

    @Override
    public void waiting(List<WaitSpec> pending, Duration elapsed) {
      events.add("waiting " + pending.size());
    }

    @Override
    public void ended(WaitStatus status) {
      ended.add(status);
      events.add("ended " + status.state());
    }
  }

  @BeforeEach
  void open() {
    store = new Store(SqliteBackend.open(dir.resolve("division.db")));
  }

  @AfterEach
  void close() throws InterruptedException {
    cancel.cancel();
    runner.shutdown();
    assertThat(runner.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    store.close();
  }

  private Future<WaitStatus> start(WaitSession session, WaitSpec spec) {
    Future<WaitStatus> f = runner.submit(() -> session.run(spec, sink, cancel));
    await().atMost(Duration.ofSeconds(10)).until(() -> sink.events.contains("waiting 1"));
    return f;
  }

  private WaitSession session() {
    return WaitSession.builder(store).build();
  }

  @Test
  void metWhenAnotherWriterApprovesAndEveryVersionIsSeen() throws Exception {
    store.create(approval("a1", "Pending"));
    Future<WaitStatus> f = start(session(), approved());
    store.modify(A1, r -> r.withStatus(Json.object().put("phase", "Reviewing")));
    Resource last = store.modify(A1, r -> r.withStatus(Json.object().put("phase", "Approved")));
    WaitStatus s = f.get(10, TimeUnit.SECONDS);
    assertThat(s.state()).isEqualTo(WaitStatus.State.MET);
    assertThat(s.spec().lastSeenVersion()).isEqualTo(last.resourceVersion());
    assertThat(sink.seen).hasSize(3).last().isEqualTo(last.resourceVersion());
    assertThat(sink.ended).singleElement().isEqualTo(s);
  }

  @Test
  void failedAndDeletedEndTheSession() throws Exception {
    Future<WaitStatus> f = start(session(), approved());
    store.create(approval("a1", "Pending"));
    store.modify(A1, r -> r.withStatus(Json.object().put("phase", "Rejected")));
    assertThat(f.get(10, TimeUnit.SECONDS).state()).isEqualTo(WaitStatus.State.FAILED);

    sink.events.clear();
    store.modify(A1, r -> r.withStatus(Json.object().put("phase", "Pending")));
    Future<WaitStatus> g = start(session(), approved());
    store.delete(A1);
    WaitStatus deleted = g.get(10, TimeUnit.SECONDS);
    assertThat(deleted.state()).isEqualTo(WaitStatus.State.DELETED);
  }

  @Test
  void aDeadlineEndsItAsTimedOut() throws Exception {
    WaitSpec spec =
        approved().toBuilder().timeout(Duration.ofMillis(300), Clock.systemUTC()).build();
    WaitStatus s = session().run(spec, sink, cancel);
    assertThat(s.state()).isEqualTo(WaitStatus.State.TIMED_OUT);
    assertThat(s.message()).startsWith("timed out after 300ms waiting for approval/a1");
  }

  @Test
  void aCancelIsCancelledNeverTimedOut() throws Exception {
    WaitSpec spec =
        approved().toBuilder().timeout(Duration.ofMinutes(5), Clock.systemUTC()).build();
    Future<WaitStatus> f = start(session(), spec);
    cancel.cancel("interrupted");
    WaitStatus s = f.get(10, TimeUnit.SECONDS);
    assertThat(s.state()).isEqualTo(WaitStatus.State.CANCELLED);
    assertThat(s.message()).isEqualTo("interrupted while waiting for " + spec.describe());
    assertThat(sink.ended).singleElement().isEqualTo(s);
  }

  @Test
  void logLinesArriveAndTheLastOnesComeBeforeTheEnd() throws Exception {
    store.create(approval("a1", "Pending"));
    store.appendLog(A1, List.of("before"));
    Future<WaitStatus> f =
        start(WaitSession.builder(store).followLogs(true).progressEvery(null).build(), approved());
    await().atMost(Duration.ofSeconds(10)).until(() -> sink.lines.contains("before"));
    store.appendLog(A1, List.of("working"));
    await().atMost(Duration.ofSeconds(10)).until(() -> sink.lines.contains("working"));
    store.appendLog(A1, List.of("last words"));
    store.modify(A1, r -> r.withStatus(Json.object().put("phase", "Approved")));
    assertThat(f.get(10, TimeUnit.SECONDS).state()).isEqualTo(WaitStatus.State.MET);
    assertThat(sink.events).endsWith("log last words", "ended MET");
    assertThat(sink.lines).containsExactly("before", "working", "last words");
  }

  @Test
  void progressIsReportedAtTheStartAndThenAtItsInterval() throws Exception {
    WaitSession session = WaitSession.builder(store).progressEvery(Duration.ofMillis(100)).build();
    Future<WaitStatus> f = start(session, approved());
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> sink.events.stream().filter("waiting 1"::equals).count() >= 3);
    cancel.cancel();
    assertThat(f.get(10, TimeUnit.SECONDS).state()).isEqualTo(WaitStatus.State.CANCELLED);
  }

  @Test
  void severalWaitsOfSeveralKindsRunInOneSession() throws Exception {
    ResourceKey install = new ResourceKey("Install", "default", "i1");
    WaitSpec first = approved();
    WaitSpec second = WaitSpec.builder().key(install).waitFor("create").build();
    Future<List<WaitStatus>> f =
        runner.submit(() -> session().runAll(List.of(first, second), sink, cancel));
    await().atMost(Duration.ofSeconds(10)).until(() -> sink.events.contains("waiting 2"));
    store.create(approval("a1", "Approved"));
    store.create(Resource.of("Install", "default", "i1"));
    List<WaitStatus> all = f.get(10, TimeUnit.SECONDS);
    assertThat(all)
        .extracting(WaitStatus::state)
        .containsExactly(WaitStatus.State.MET, WaitStatus.State.MET);
  }
}
