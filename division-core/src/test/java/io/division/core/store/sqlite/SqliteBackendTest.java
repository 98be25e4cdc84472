package io.division.core.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.division.core.model.ObjectMeta;
import io.division.core.model.Resource;
import io.division.core.store.ListQuery;
import io.division.core.store.Store;
import io.division.core.store.StoreException;
import io.division.core.store.WatchQuery;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
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

  @Test
  void anEmptyFileIsRefusedAndLeftAsItIs() throws Exception {
    Path file = Files.createFile(dir.resolve("division.db"));
    assertThatThrownBy(() -> SqliteBackend.open(file))
        .isInstanceOfSatisfying(
            StoreException.class,
            e -> assertThat(e.reason()).isEqualTo(StoreException.Reason.INVALID))
        .hasMessageContaining("is not a Division store: the file is empty (0 bytes)")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    assertThat(Files.size(file)).isZero();
  }

  @Test
  void aFileThatIsNotADatabaseIsRefusedAndLeftAsItIs() throws Exception {
    Path file = Files.writeString(dir.resolve("division.db"), "apiVersion: v1\nkind: Config\n");
    assertThatThrownBy(() -> SqliteBackend.open(file))
        .hasMessageContaining("is not a Division store: it is not an SQLite database");
    assertThat(Files.readString(file)).isEqualTo("apiVersion: v1\nkind: Config\n");
  }

  @Test
  void anotherSqliteDatabaseIsRefusedAndLeftAsItIs() throws Exception {
    Path file = dir.resolve("division.db");
    try (var c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE notes (text TEXT)");
    }
    assertThatThrownBy(() -> SqliteBackend.open(file))
        .hasMessageContaining("is not a Division store: it is an SQLite database without");
    try (var c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement();
        var rs = s.executeQuery("SELECT count(*) FROM sqlite_master")) {
      assertThat(rs.getInt(1)).isEqualTo(1);
    }
  }

  @Test
  void aDamagedRowIsNamedAndTheRestAreStillListedAndItCanBeDeleted() throws Exception {
    Path file = dir.resolve("division.db");
    try (Store store = new Store(SqliteBackend.open(file))) {
      store.create(approval("a1"));
      store.create(approval("a2"));
      store.create(approval("a3"));
      try (var c = DriverManager.getConnection("jdbc:sqlite:" + file);
          Statement s = c.createStatement()) {
        s.execute("UPDATE resources SET body='{\"kind\": \"Approval\", \"metad' WHERE name='a2'");
      }
      var key = new io.division.core.model.ResourceKey("Approval", "default", "a2");
      assertThatThrownBy(() -> store.get(key))
          .isInstanceOfSatisfying(
              StoreException.class,
              e -> assertThat(e.reason()).isEqualTo(StoreException.Reason.INTERNAL))
          .hasMessageStartingWith("approval/a2 in namespace default is damaged in the store")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
      var list = store.list(ListQuery.all("Approval"));
      assertThat(list.items()).extracting(Resource::name).containsExactly("a1", "a3");
      assertThat(list.damaged()).extracting(d -> d.key().name()).containsExactly("a2");
      store.delete(key);
      assertThat(store.list(ListQuery.all("Approval")).damaged()).isEmpty();
    }
  }

  @Test
  void aWriteGivesUpAfterTheLockTimeoutWhileReadsGoOn() throws Exception {
    Path file = dir.resolve("division.db");
    SqliteOptions impatient = SqliteOptions.builder().lockTimeout(Duration.ofMillis(300)).build();
    try (Store store = new Store(SqliteBackend.open(file, impatient))) {
      store.create(approval("a1"));
      try (var holder = DriverManager.getConnection("jdbc:sqlite:" + file);
          Statement s = holder.createStatement()) {
        s.execute("BEGIN IMMEDIATE");
        long start = System.nanoTime();
        assertThatThrownBy(() -> store.create(approval("a2")))
            .isInstanceOfSatisfying(
                StoreException.class,
                e -> assertThat(e.reason()).isEqualTo(StoreException.Reason.UNAVAILABLE))
            .hasMessage(
                "sqlite:"
                    + file
                    + " is locked: another process held its write lock for more than 0.3 s"
                    + " (SQLITE_BUSY); nothing was written, try again when it is done");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(store.list(ListQuery.all("Approval")).items()).hasSize(1);
        assertThat(store.find(new io.division.core.model.ResourceKey("Approval", "default", "a1")))
            .isPresent();
        s.execute("ROLLBACK");
      }
      store.create(approval("a2"));
    }
  }

  @Test
  void theNativeLibraryCacheIsPrivateAndAReplacedLibraryIsExtractedAgain() throws Exception {
    Path cache = dir.resolve("cache");
    Path lib = SqliteNative.extract(cache);
    assertThat(lib).isNotNull();
    String good = SqliteNative.sha256(lib);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cache)))
        .isEqualTo("rwx------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(lib.getParent())))
        .isEqualTo("rwx------");

    Files.write(lib, new byte[] {0x7f, 'E', 'L', 'F', 0});
    assertThat(SqliteNative.extract(cache)).isEqualTo(lib);
    assertThat(SqliteNative.sha256(lib)).isEqualTo(good);

    // A folder others could write to: tightened, and neither library nor recorded sum trusted.
    Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxrwxrwx"));
    Files.write(lib, new byte[] {1, 2, 3});
    Files.writeString(lib.resolveSibling(lib.getFileName() + ".sha256"), SqliteNative.sha256(lib));
    assertThat(SqliteNative.extract(cache)).isEqualTo(lib);
    assertThat(SqliteNative.sha256(lib)).isEqualTo(good);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cache)))
        .isEqualTo("rwx------");
  }

  @Test
  void aVerifiedLibraryIsTrustedByItsAttributesOnlyOnceTheyCanShowAChange() throws Exception {
    Path cache = dir.resolve("cache");
    Path lib = SqliteNative.extract(cache);
    Path sum = lib.resolveSibling(lib.getFileName() + ".sha256");
    Path verified = lib.resolveSibling(lib.getFileName() + ".verified");
    String good = SqliteNative.sha256(lib);
    // Just extracted: a change within the same clock tick would keep the ctime, so only the sum.
    assertThat(Files.readString(sum).trim()).isEqualTo(good);
    assertThat(verified).doesNotExist();

    Instant later = Instant.now().plus(SqliteNative.RACY).plusSeconds(1);
    assertThat(SqliteNative.extract(cache, later)).isEqualTo(lib);
    assertThat(Files.readString(sum).trim()).isEqualTo(good); // as older versions read it
    assertThat(Files.readString(verified).trim()).startsWith(good + " ");

    // Changed in place keeping its size and mtime: the ctime shows it, so it is hashed and
    // replaced.
    FileTime mtime = Files.getLastModifiedTime(lib);
    long size = Files.size(lib);
    FileTime ctime = (FileTime) Files.getAttribute(lib, "unix:ctime");
    Path probe = dir.resolve("probe");
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () -> {
              Files.writeString(probe, "tick");
              return ((FileTime) Files.getAttribute(probe, "unix:ctime")).compareTo(ctime) > 0;
            });
    try (FileChannel ch = FileChannel.open(lib, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(new byte[] {0x7f, 'X'}), 0);
    }
    Files.setLastModifiedTime(lib, mtime);
    assertThat(Files.size(lib)).isEqualTo(size);
    assertThat(SqliteNative.sha256(lib)).isNotEqualTo(good);
    assertThat(SqliteNative.extract(cache, later.plusSeconds(60))).isEqualTo(lib);
    assertThat(SqliteNative.sha256(lib)).isEqualTo(good);
  }
}
