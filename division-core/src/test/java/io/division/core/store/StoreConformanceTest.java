package io.division.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.division.core.model.Json;
import io.division.core.model.ObjectMeta;
import io.division.core.model.Resource;
import io.division.core.model.ResourceKey;
import io.division.core.selector.LabelSelector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every backend keeps. A backend's test extends this class and supplies only {@link
 * #newBackend()}; {@link #secondBackend()} opens another handle on the same data, standing in for a
 * second process.
 */
public abstract class StoreConformanceTest {
  protected Store store;

  /** A fresh, empty backend for one test. */
  protected abstract StoreBackend newBackend() throws Exception;

  /** Another independent handle on the data of the latest {@link #newBackend()}. */
  protected abstract StoreBackend secondBackend() throws Exception;

  /**
   * Storage of its own that a test can take down and bring back with its data: the SQLite file with
   * every handle on it closed, the DynamoDB engine stopped and started on the same port.
   */
  protected interface RestartableStorage extends AutoCloseable {
    /** A new handle on the storage; the storage closes it at the latest when it is closed. */
    StoreBackend open() throws Exception;

    /** Takes the storage down and brings it back; handles opened before may fail meanwhile. */
    void restart() throws Exception;

    @Override
    void close() throws Exception;
  }

  protected abstract RestartableStorage restartableStorage() throws Exception;

  @BeforeEach
  void openStore() throws Exception {
    store = new Store(newBackend());
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  protected static Resource approval(String name, String phase, Map<String, String> labels) {
    ObjectNode spec = Json.object().put("requester", "ci");
    ObjectNode status = phase == null ? null : Json.object().put("phase", phase);
    return new Resource(
        null,
        "Approval",
        ObjectMeta.builder().name(name).namespace("default").labels(labels).build(),
        spec,
        status);
  }

  protected static ResourceKey key(String name) {
    return new ResourceKey("Approval", "default", name);
  }

  @Test
  void createdResourceIsReadBackWithSystemFields() {
    Resource created = store.create(approval("a1", "Pending", Map.of("team", "web")));

    Resource read = store.get(key("a1"));
    assertThat(read).isEqualTo(created);
    assertThat(read.metadata().uid()).isNotBlank();
    assertThat(read.metadata().resourceVersion()).isNotBlank();
    assertThat(read.metadata().generation()).isEqualTo(1L);
    assertThat(read.metadata().creationTimestamp()).isNotBlank();
    assertThat(read.metadata().labels()).containsEntry("team", "web");
    assertThat(read.statusText("phase")).isEqualTo("Pending");
    assertThat(read.apiVersion()).isEqualTo(Resource.DEFAULT_API_VERSION);
  }

  @Test
  void creatingATakenNameFailsWithAlreadyExists() {
    store.create(approval("a1", null, null));
    assertThatThrownBy(() -> store.create(approval("a1", null, null)))
        .isInstanceOfSatisfying(
            StoreException.class,
            e -> assertThat(e.reason()).isEqualTo(StoreException.Reason.ALREADY_EXISTS))
        .hasMessageContaining("approval/a1 already exists");
  }

  @Test
  void getOfAMissingResourceFailsWithNotFound() {
    assertThat(store.find(key("nope"))).isEmpty();
    assertThatThrownBy(() -> store.get(key("nope")))
        .isInstanceOfSatisfying(
            StoreException.class,
            e -> assertThat(e.reason()).isEqualTo(StoreException.Reason.NOT_FOUND));
  }

  @Test
  void updateWithAStaleResourceVersionFailsWithConflictAndWritesNothing() {
    Resource v1 = store.create(approval("a1", "Pending", null));
    Resource v2 = store.update(v1.withStatus(Json.object().put("phase", "Approved")));

    assertThatThrownBy(() -> store.update(v1.withStatus(Json.object().put("phase", "Rejected"))))
        .isInstanceOfSatisfying(
            StoreException.class,
            e -> assertThat(e.reason()).isEqualTo(StoreException.Reason.CONFLICT))
        .hasMessageContaining("the object has been modified");
    assertThat(store.get(key("a1"))).isEqualTo(v2);
  }

  @Test
  void resourceVersionsIncreaseWithEveryWriteAcrossResources() {
    long a = Long.parseLong(store.create(approval("a1", null, null)).resourceVersion());
    long b = Long.parseLong(store.create(approval("a2", null, null)).resourceVersion());
    Resource a1 = store.get(key("a1"));
    long c =
        Long.parseLong(
            store.update(a1.withStatus(Json.object().put("phase", "x"))).resourceVersion());
    assertThat(a).isLessThan(b);
    assertThat(b).isLessThan(c);
  }

  @Test
  void generationIncreasesOnlyWhenSpecChanges() {
    Resource v1 = store.create(approval("a1", "Pending", null));
    Resource statusOnly = store.update(v1.withStatus(Json.object().put("phase", "Approved")));
    assertThat(statusOnly.metadata().generation()).isEqualTo(1L);

    Resource specChanged = store.update(statusOnly.withSpec(Json.object().put("requester", "bob")));
    assertThat(specChanged.metadata().generation()).isEqualTo(2L);
    assertThat(specChanged.metadata().uid()).isEqualTo(v1.metadata().uid());
    assertThat(specChanged.metadata().creationTimestamp())
        .isEqualTo(v1.metadata().creationTimestamp());
  }

  @Test
  void applyCreatesThenConfiguresThenReportsUnchanged() {
    Resource desired = approval("a1", null, Map.of("team", "web"));
    assertThat(store.apply(desired).outcome()).isEqualTo(ApplyResult.Outcome.CREATED);
    assertThat(store.apply(desired).outcome()).isEqualTo(ApplyResult.Outcome.UNCHANGED);
    ApplyResult changed = store.apply(desired.withSpec(Json.object().put("requester", "bob")));
    assertThat(changed.outcome()).isEqualTo(ApplyResult.Outcome.CONFIGURED);
    assertThat(changed.resource().metadata().generation()).isEqualTo(2L);
  }

  @Test
  void applyWithoutStatusKeepsTheStoredStatusAndApplyWithStatusWritesIt() {
    store.apply(approval("a1", "Pending", null));
    store.apply(approval("a1", null, null));
    assertThat(store.get(key("a1")).statusText("phase")).isEqualTo("Pending");

    store.apply(approval("a1", "Approved", null));
    assertThat(store.get(key("a1")).statusText("phase")).isEqualTo("Approved");
  }

  @Test
  void applyOfAStaleResourceVersionFailsWithConflictAndOverwritesNothing() {
    Resource read = store.apply(approval("a1", "Pending", null)).resource();
    store.apply(approval("a1", "Approved", null));

    Resource stale = read.withStatus(Json.object().put("phase", "Rejected"));
    assertThatThrownBy(() -> store.apply(stale))
        .isInstanceOfSatisfying(
            StoreException.class,
            e -> assertThat(e.reason()).isEqualTo(StoreException.Reason.CONFLICT));
    assertThat(store.get(key("a1")).statusText("phase")).isEqualTo("Approved");
  }

  @Test
  void applyAllWritesNothingWhenOneResourceConflicts() {
    Resource read = store.apply(approval("a1", "Pending", null)).resource();
    store.apply(approval("a1", "Approved", null));

    List<Resource> batch =
        List.of(
            approval("b1", null, null), read.withStatus(Json.object().put("phase", "Rejected")));
    assertThatThrownBy(() -> store.applyAll(batch)).isInstanceOf(StoreException.class);
    assertThat(store.find(key("b1"))).isEmpty();
  }

  @Test
  void aMergePatchChangesFieldsThatAlreadyExistAndRemovesNulls() {
    store.create(approval("a1", "Pending", Map.of("team", "web")));
    Resource patched =
        store.mergePatch(
            key("a1"),
            Json.parse(
                "{\"status\":{\"phase\":\"Approved\"},\"spec\":{\"requester\":null,\"x\":1}}"));
    assertThat(patched.statusText("phase")).isEqualTo("Approved");
    assertThat(patched.spec().has("requester")).isFalse();
    assertThat(patched.spec().path("x").asInt()).isEqualTo(1);
    assertThat(store.get(key("a1"))).isEqualTo(patched);
    assertThat(patched.metadata().generation()).isEqualTo(2L);
  }

  @Test
  void invalidNamesAndLabelsAreRejectedWithInvalid() {
    assertThatThrownBy(() -> store.create(approval("Bad_Name", null, null)))
        .isInstanceOfSatisfying(
            StoreException.class,
            e -> assertThat(e.reason()).isEqualTo(StoreException.Reason.INVALID))
        .hasMessageContaining("metadata.name \"Bad_Name\" is invalid");
    assertThatThrownBy(() -> store.create(approval("ok", null, Map.of("team", "not valid!"))))
        .isInstanceOfSatisfying(
            StoreException.class,
            e -> assertThat(e.reason()).isEqualTo(StoreException.Reason.INVALID))
        .hasMessageContaining("metadata.labels.team");
  }

  @Test
  void deleteRemovesTheResourceAndAMissingOneIsNotFound() {
    store.create(approval("a1", null, null));
    Resource deleted = store.delete(key("a1"));
    assertThat(deleted.name()).isEqualTo("a1");
    assertThat(store.find(key("a1"))).isEmpty();
    assertThatThrownBy(() -> store.delete(key("a1")))
        .isInstanceOfSatisfying(
            StoreException.class,
            e -> assertThat(e.reason()).isEqualTo(StoreException.Reason.NOT_FOUND));
  }

  @Test
  void deleteWithAStaleVersionIsAConflict() {
    Resource v1 = store.create(approval("a1", null, null));
    store.apply(approval("a1", "Approved", null));
    assertThatThrownBy(() -> store.delete(key("a1"), v1.resourceVersion()))
        .isInstanceOfSatisfying(
            StoreException.class,
            e -> assertThat(e.reason()).isEqualTo(StoreException.Reason.CONFLICT));
    assertThat(store.find(key("a1"))).isPresent();
  }

  @Test
  void listFiltersByNamespaceAndLabelSelector() {
    store.create(approval("a1", null, Map.of("team", "web")));
    store.create(approval("a2", null, Map.of("team", "db")));
    store.create(
        approval("a3", null, Map.of("team", "web"))
            .withMetadata(
                ObjectMeta.builder()
                    .name("a3")
                    .namespace("other")
                    .labels(Map.of("team", "web"))
                    .build()));

    assertThat(names(store.list(new ListQuery("Approval", "default", null))))
        .containsExactly("a1", "a2");
    assertThat(names(store.list(new ListQuery("Approval", null, LabelSelector.parse("team=web")))))
        .containsExactlyInAnyOrder("a1", "a3");
    assertThat(
            names(store.list(new ListQuery("Approval", "default", LabelSelector.parse("team=db")))))
        .containsExactly("a2");
    assertThat(store.list(ListQuery.all("Cluster")).items()).isEmpty();
  }

  @Test
  void modifyRetriesLostRacesSoConcurrentIncrementsAreAllKept() throws Exception {
    store.create(approval("counter", null, null).withStatus(Json.object().put("count", 0)));
    int threads = 4;
    int perThread = 25;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try (Store other = new Store(secondBackend())) {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        Store s = t % 2 == 0 ? store : other;
        futures.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < perThread; i++) {
                    s.modify(
                        key("counter"),
                        r ->
                            r.withStatus(
                                Json.object().put("count", r.status().get("count").asInt() + 1)));
                  }
                }));
      }
      for (Future<?> f : futures) f.get(60, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }
    assertThat(store.get(key("counter")).status().get("count").asInt())
        .isEqualTo(threads * perThread);
  }

  @Test
  void watchFromAListVersionSeesEveryLaterChangeInOrder() throws Exception {
    store.create(approval("before", null, null));
    ResourceList list = store.list(ListQuery.all("Approval"));
    try (Watch watch =
        store.watch(new WatchQuery("Approval", null, null, list.resourceVersion()))) {
      Resource a = store.create(approval("a1", "Pending", null));
      store.apply(approval("a1", "Approved", null));
      store.delete(key("a1"));

      List<WatchEvent> events = take(watch, 3);
      assertThat(events)
          .extracting(WatchEvent::type)
          .containsExactly(
              WatchEvent.Type.ADDED, WatchEvent.Type.MODIFIED, WatchEvent.Type.DELETED);
      assertThat(events.get(0).resource()).isEqualTo(a);
      assertThat(events.get(1).resource().statusText("phase")).isEqualTo("Approved");
      assertThat(events.get(2).resource().name()).isEqualTo("a1");
      assertThat(watch.poll(Duration.ofMillis(50))).isNull();
    }
  }

  @Test
  void watchResumedFromTheLastSeenVersionHasNoGapAndNoDuplicate() throws Exception {
    String start = store.list(ListQuery.all("Approval")).resourceVersion();
    List<String> seen = new ArrayList<>();
    String last;
    try (Watch first = store.watch(new WatchQuery("Approval", null, null, start))) {
      for (int i = 0; i < 5; i++) store.create(approval("a" + i, null, null));
      List<WatchEvent> events = take(first, 3);
      events.forEach(e -> seen.add(e.resource().name()));
      last = events.get(2).resourceVersion();
    }
    for (int i = 5; i < 8; i++) store.create(approval("a" + i, null, null));
    try (Watch resumed = store.watch(new WatchQuery("Approval", null, null, last))) {
      take(resumed, 5).forEach(e -> seen.add(e.resource().name()));
      assertThat(resumed.poll(Duration.ofMillis(50))).isNull();
    }
    assertThat(seen).containsExactly("a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7");
  }

  @Test
  void watchFromNowIgnoresEarlierChangesAndOtherKinds() throws Exception {
    store.create(approval("old", null, null));
    try (Watch watch = store.watch(new WatchQuery("Approval", null, null, null))) {
      store.create(new Resource(null, "Cluster", ObjectMeta.named("c1", ""), null, null));
      store.create(approval("new", null, null));
      List<WatchEvent> events = take(watch, 1);
      assertThat(events.get(0).resource().name()).isEqualTo("new");
      assertThat(watch.poll(Duration.ofMillis(50))).isNull();
    }
  }

  @Test
  void watchWithASelectorSeesObjectsEnterAndLeaveIt() throws Exception {
    try (Watch watch =
        store.watch(new WatchQuery("Approval", "default", LabelSelector.parse("team=web"), null))) {
      store.create(approval("a1", null, Map.of("team", "db")));
      store.apply(approval("a1", null, Map.of("team", "web")));
      store.apply(approval("a1", "Approved", Map.of("team", "web")));
      store.apply(approval("a1", "Approved", Map.of("team", "db")));
      assertThat(take(watch, 3))
          .extracting(WatchEvent::type)
          .containsExactly(
              WatchEvent.Type.ADDED, WatchEvent.Type.MODIFIED, WatchEvent.Type.DELETED);
    }
  }

  @Test
  void aWatcherSeesWritesMadeThroughAnotherHandle() throws Exception {
    try (Watch watch = store.watch(new WatchQuery("Approval", null, null, null));
        Store other = new Store(secondBackend())) {
      other.create(approval("remote", null, null));
      assertThat(take(watch, 1).get(0).resource().name()).isEqualTo("remote");
    }
  }

  @Test
  void concurrentWritersAreAllSeenOnceInVersionOrder() throws Exception {
    int writers = 3;
    int each = 30;
    try (Watch watch = store.watch(new WatchQuery("Approval", null, null, null));
        Store other = new Store(secondBackend())) {
      ExecutorService pool = Executors.newFixedThreadPool(writers);
      try {
        List<Future<?>> futures = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
          int id = w;
          Store s = w % 2 == 0 ? store : other;
          futures.add(
              pool.submit(
                  () -> {
                    for (int i = 0; i < each; i++)
                      s.create(approval("w" + id + "-" + i, null, null));
                  }));
        }
        for (Future<?> f : futures) f.get(60, TimeUnit.SECONDS);
      } finally {
        pool.shutdownNow();
      }
      List<WatchEvent> events = take(watch, writers * each);
      Set<String> names = new HashSet<>();
      long previous = 0;
      for (WatchEvent e : events) {
        long rv = Long.parseLong(e.resourceVersion());
        assertThat(rv).isGreaterThan(previous);
        previous = rv;
        names.add(e.resource().name());
      }
      assertThat(names).hasSize(writers * each);
      assertThat(watch.poll(Duration.ofMillis(100))).isNull();
    }
  }

  @Test
  void logLinesAreReadBackInOrderFromAnyPosition() {
    store.create(approval("a1", null, null));
    store.appendLog(key("a1"), List.of("one", "two"));
    long last = store.appendLog(key("a1"), List.of("three"));

    assertThat(store.readLog(key("a1"), 0, 100))
        .extracting(LogLine::text)
        .containsExactly("one", "two", "three");
    assertThat(store.readLog(key("a1"), 2, 100)).extracting(LogLine::text).containsExactly("three");
    assertThat(store.readLog(key("a1"), last, 100)).isEmpty();
    assertThat(store.readLog(key("a1"), 0, 2)).extracting(LogLine::seq).containsExactly(1L, 2L);
  }

  @Test
  void logsGoWithTheirResource() {
    store.create(approval("a1", null, null));
    store.appendLog(key("a1"), List.of("one"));
    store.delete(key("a1"));
    store.create(approval("a1", null, null));
    assertThat(store.readLog(key("a1"), 0, 100)).isEmpty();
  }

  @Test
  void writingTheLogOfAMissingResourceIsNotFound() {
    assertThatThrownBy(() -> store.appendLog(key("ghost"), List.of("x")))
        .isInstanceOfSatisfying(
            StoreException.class,
            e -> assertThat(e.reason()).isEqualTo(StoreException.Reason.NOT_FOUND));
  }

  @Test
  void logLinesWrittenThroughAnotherHandleWakeAWaitingReader() throws Exception {
    store.create(approval("a1", null, null));
    try (Store other = new Store(secondBackend())) {
      long mark = store.changeMark();
      assertThat(store.readLog(key("a1"), 0, 10)).isEmpty();
      other.appendLog(key("a1"), List.of("hello"));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      List<LogLine> lines = store.readLog(key("a1"), 0, 10);
      while (lines.isEmpty() && System.nanoTime() < deadline) {
        store.awaitChange(mark, Duration.ofSeconds(1));
        mark = store.changeMark();
        lines = store.readLog(key("a1"), 0, 10);
      }
      assertThat(lines).extracting(LogLine::text).containsExactly("hello");
    }
  }

  @Test
  void aWatchResumesAcrossARestartOfTheStorageWithNoMissedAndNoDuplicatedEvent() throws Exception {
    int before = 20;
    int after = 20;
    List<String> seen = new ArrayList<>();
    try (RestartableStorage storage = restartableStorage()) {
      Store writer = new Store(storage.open());
      Store watching = new Store(storage.open());
      String last = writer.list(ListQuery.all("Approval")).resourceVersion();
      Watch watch = watching.watch(new WatchQuery("Approval", null, null, last));
      for (int i = 0; i < before; i++)
        writer.create(approval(String.format("r%02d", i), null, null));
      // Half is consumed, half is still in the change log when the storage goes down.
      for (WatchEvent e : take(watch, before / 2)) {
        seen.add(e.resource().name());
        last = e.resourceVersion();
      }
      storage.restart();
      Store writerAfter = new Store(storage.open());
      for (int i = before; i < before + after; i++) {
        writerAfter.create(approval(String.format("r%02d", i), null, null));
      }
      // A consumer as a pipeline step is one: when its watch fails, it watches again from the
      // last version it saw, on a fresh handle.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
      while (seen.size() < before + after && System.nanoTime() < deadline) {
        WatchEvent e;
        try {
          e = watch.poll(Duration.ofMillis(500));
        } catch (StoreException failed) {
          assertThat(failed.reason()).isEqualTo(StoreException.Reason.UNAVAILABLE);
          watch.close();
          Store fresh = new Store(storage.open());
          watch = fresh.watch(new WatchQuery("Approval", null, null, last));
          continue;
        }
        if (e == null) continue;
        seen.add(e.resource().name());
        last = e.resourceVersion();
      }
      assertThat(watch.poll(Duration.ofMillis(200))).isNull();
      watch.close();
    }
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < before + after; i++) expected.add(String.format("r%02d", i));
    assertThat(seen).containsExactlyElementsOf(expected);
  }

  protected static List<WatchEvent> take(Watch watch, int count) throws InterruptedException {
    List<WatchEvent> events = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (events.size() < count && System.nanoTime() < deadline) {
      WatchEvent e = watch.poll(Duration.ofMillis(500));
      if (e != null) events.add(e);
    }
    assertThat(events).as("events received").hasSize(count);
    return events;
  }

  protected static List<String> names(ResourceList list) {
    return list.items().stream().map(Resource::name).toList();
  }
}
