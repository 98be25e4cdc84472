package io.division.core.wait;

import static io.division.core.wait.WaitCheckTest.A1;
import static io.division.core.wait.WaitCheckTest.approval;
import static io.division.core.wait.WaitCheckTest.approved;
import static org.assertj.core.api.Assertions.assertThat;

import io.division.core.model.Resource;
import io.division.core.store.Store;
import io.division.core.store.sqlite.SqliteBackend;
import io.division.core.store.sqlite.SqliteOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shared core of sessions and shared waits, stepped by hand. */
class WaitGroupTest {
  @TempDir Path dir;

  @Test
  void aResourceDeletedWhileTheWatchWasBehindTheTrimIsReportedDeleted() throws Exception {
    try (Store store =
        new Store(
            SqliteBackend.open(
                dir.resolve("division.db"),
                SqliteOptions.builder()
                    .trimEvery(4)
                    .minRetainedChanges(2)
                    .changeRetention(Duration.ZERO)
                    .build()))) {
      store.create(approval("a1", "Pending"));
      List<WaitStatus> ends = new ArrayList<>();
      WaitGroup group = new WaitGroup(store, "Approval", "default");
      group.add(
          new WaitGroup.Waiting(
              approved(),
              new WaitGroup.Observer() {
                @Override
                public void seen(Resource resource) {}

                @Override
                public void ended(WaitStatus status) {
                  ends.add(status);
                }
              }));
      group.step(Instant.now());
      assertThat(ends).isEmpty();
      // Behind the watch's back: the resource goes, and the change log is trimmed past it.
      store.delete(A1);
      for (int i = 0; i < 20; i++) store.create(approval("other" + i, null));
      group.step(Instant.now());
      assertThat(ends)
          .singleElement()
          .extracting(WaitStatus::state)
          .isEqualTo(WaitStatus.State.DELETED);
      assertThat(group.isEmpty()).isTrue();
      group.close();
    }
  }
}
