package io.division.core.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.division.core.model.ObjectMeta;
import io.division.core.model.Resource;
import io.division.core.store.ListQuery;
import io.division.core.store.Store;
import io.division.core.store.StoreException;
import io.division.core.store.WatchQuery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteBackendTest {
  @TempDir Path dir;

  private static Resource approval(String name) {
    return new Resource(null, "Approval", ObjectMeta.named(name, "default"), null, null);
  }

  @Test
  void theDatabaseFileIsReadableByItsOwnerOnly() throws Exception {
    Path file = dir.resolve("sub/division.db");
    try (Store store = new Store(SqliteBackend.open(file))) {
      store.create(approval("a1"));
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
        .isEqualTo("rwx------");
  }

  @Test
  void aFileWithANewerSchemaIsRefusedWithAClearMessage() throws Exception {
    Path file = dir.resolve("division.db");
    SqliteBackend.open(file).close();
    try (var c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement()) {
      s.execute("PRAGMA user_version=" + (SqliteBackend.SCHEMA_VERSION + 1));
    }
    assertThatThrownBy(() -> SqliteBackend.open(file))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("newer than this div supports");
  }

  @Test
  void reopeningKeepsDataAndTheVersionSequence() {
    Path file = dir.resolve("division.db");
    String first;
    try (Store store = new Store(SqliteBackend.open(file))) {
      first = store.create(approval("a1")).resourceVersion();
    }
    try (Store store = new Store(SqliteBackend.open(file))) {
      assertThat(store.list(ListQuery.all("Approval")).items()).hasSize(1);
      assertThat(Long.parseLong(store.create(approval("a2")).resourceVersion()))
          .isGreaterThan(Long.parseLong(first));
    }
  }

  @Test
  void aWatchFromATrimmedVersionFailsWithGone() {
    SqliteOptions tight =
        SqliteOptions.builder()
            .trimEvery(4)
            .minRetainedChanges(2)
            .changeRetention(Duration.ZERO)
            .build();
    try (Store store = new Store(SqliteBackend.open(dir.resolve("division.db"), tight))) {
      for (int i = 0; i < 20; i++) store.create(approval("a" + i));
      assertThatThrownBy(() -> store.watch(new WatchQuery("Approval", null, null, "1")))
          .isInstanceOfSatisfying(
              StoreException.class,
              e -> assertThat(e.reason()).isEqualTo(StoreException.Reason.GONE))
          .hasMessageContaining("too old resource version: 1");
      String recent = store.list(ListQuery.all("Approval")).resourceVersion();
      store.watch(new WatchQuery("Approval", null, null, recent)).close();
    }
  }

  @Test
  void aWatcherThatFallsBehindTheTrimIsToldGoneRatherThanMissingChanges() throws Exception {
    SqliteOptions tight =
        SqliteOptions.builder()
            .trimEvery(4)
            .minRetainedChanges(2)
            .changeRetention(Duration.ZERO)
            .build();
    try (Store store = new Store(SqliteBackend.open(dir.resolve("division.db"), tight))) {
      var watch = store.watch(new WatchQuery("Approval", null, null, null));
      for (int i = 0; i < 20; i++) store.create(approval("a" + i));
      assertThatThrownBy(() -> watch.poll(Duration.ofMillis(100)))
          .isInstanceOfSatisfying(
              StoreException.class,
              e -> assertThat(e.reason()).isEqualTo(StoreException.Reason.GONE));
    }
  }
}
