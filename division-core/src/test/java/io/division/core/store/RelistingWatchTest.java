package io.division.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.division.core.model.Json;
import io.division.core.model.ObjectMeta;
import io.division.core.model.Resource;
import io.division.core.model.ResourceKey;
import io.division.core.store.sqlite.SqliteBackend;
import io.division.core.store.sqlite.SqliteOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Falling behind a change log trimmed under the watch: relist, report what changed, go on. */
class RelistingWatchTest {
  @TempDir Path dir;

  /** Trims the change log every 4 writes down to the last 2: a watcher falls behind at once. */
  private Store tightStore() {
    return new Store(
        SqliteBackend.open(
            dir.resolve("division.db"),
            SqliteOptions.builder()
                .trimEvery(4)
                .minRetainedChanges(2)
                .changeRetention(Duration.ZERO)
                .build()));
  }

  private static Resource approval(String name) {
    return new Resource(null, "Approval", ObjectMeta.named(name, "default"), null, null);
  }

  private static List<WatchEvent> drain(Watch w) throws InterruptedException {
    List<WatchEvent> out = new ArrayList<>();
    for (WatchEvent e; (e = w.poll(Duration.ZERO)) != null; ) out.add(e);
    return out;
  }

  @Test
  void aWatchFromAVersionReportsOnlyWhatChangedSinceAndCarriesOn() throws Exception {
    try (Store store = tightStore()) {
      for (int i = 0; i < 5; i++) store.create(approval("a" + i));
      String from = store.list(ListQuery.all("Approval")).resourceVersion();
      List<ResourceList> relisted = new ArrayList<>();
      try (RelistingWatch w =
          new RelistingWatch(store, new WatchQuery("Approval", null, null, from), relisted::add)) {
        for (int round = 0; round < 10; round++) {
          for (String name : List.of("a0", "a1")) {
            store.modify(
                new ResourceKey("Approval", "default", name),
                r ->
                    r.withSpec(
                        Json.object()
                            .put("n", r.spec() == null ? 0 : 1 + r.spec().path("n").asInt())));
          }
        }
        List<WatchEvent> events = drain(w);
        assertThat(w.relists()).isEqualTo(1);
        assertThat(relisted).singleElement().satisfies(l -> assertThat(l.items()).hasSize(5));
        assertThat(events)
            .extracting(e -> e.type() + " " + e.resource().name())
            .containsExactlyInAnyOrder("MODIFIED a0", "MODIFIED a1");
        store.create(approval("later"));
        assertThat(drain(w))
            .extracting(e -> e.type() + " " + e.resource().name())
            .containsExactly("ADDED later");
      }
    }
  }

  @Test
  void aWatchFromNowThatFallsBehindReportsEveryListedObject() throws Exception {
    try (Store store = tightStore();
        RelistingWatch w =
            new RelistingWatch(store, new WatchQuery("Approval", null, null, null), null)) {
      for (int i = 0; i < 20; i++) store.create(approval("a" + i));
      assertThat(drain(w)).hasSize(20);
      assertThat(w.relists()).isEqualTo(1);
    }
  }
}
