package io.division.core.store.sqlite;

import io.division.core.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;

/**
 * The embedded store's file: creating a new one, and telling a Division store from anything else.
 *
 * <p>A new store is built completely in a private temporary file beside the target and then linked
 * into place (a hard link fails if the name is taken, so two processes creating the store at once
 * end up sharing one). So a file at the store's path is either a finished store or not a store: an
 * empty file, a file that is not SQLite, or an SQLite database without Division's schema version is
 * refused, and never initialised over (it may be a store whose content was lost and must be
 * restored, or someone else's database).
 */
final class SqliteSchema {
  /** The schema this code writes. Older versions would be migrated on open; newer are refused. */
  static final int VERSION = 1;

  private static final byte[] SQLITE_HEADER =
      "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

  private SqliteSchema() {}

  /** Creates a store at {@code file} unless another process does so first. */
  static void createStore(Path file) {
    Path dir = file.getParent();
    Path tmp = null;
    try {
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(
            dir,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      }
      // The file holds every resource: readable by its owner only, like a kubeconfig.
      tmp =
          Files.createTempFile(
              dir,
              "." + file.getFileName() + ".",
              ".new",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + tmp);
          Statement s = c.createStatement()) {
        s.execute("PRAGMA journal_mode=WAL");
        s.execute("BEGIN");
        createTables(s);
        s.execute("PRAGMA user_version=" + VERSION);
        s.execute("COMMIT");
      }
      // Closing the only connection checkpointed the WAL into the file: it is complete now.
      try {
        Files.createLink(file, tmp);
      } catch (FileAlreadyExistsException e) {
        // another process created the store first: use theirs
      } catch (UnsupportedOperationException | IOException e) {
        // no hard links on this file system: a rename, which does not replace an existing file
        if (!Files.exists(file)) Files.move(tmp, file);
      }
    } catch (SQLException | IOException e) {
      throw StoreException.unavailable("cannot create sqlite:" + file + ": " + e.getMessage(), e);
    } finally {
      if (tmp != null) {
        for (String suffix : new String[] {"", "-wal", "-shm", "-journal"}) {
          try {
            Files.deleteIfExists(Path.of(tmp + suffix));
          } catch (IOException e) {
            // a leftover temporary file is harmless
          }
        }
      }
    }
  }

  private static void createTables(Statement s) throws SQLException {
    s.execute(
        "CREATE TABLE resources (kind TEXT NOT NULL, namespace TEXT NOT NULL, name TEXT NOT"
            + " NULL, rv INTEGER NOT NULL, labels TEXT NOT NULL, body TEXT NOT NULL,"
            + " PRIMARY KEY (kind, namespace, name)) WITHOUT ROWID");
    // The change log is also the version sequence: rv is its rowid, so the next version is found
    // at the end of the one b-tree every write appends to anyway, and a write touches two pages
    // (resource, change) rather than four (plus a counter row and an index). Watches scan from
    // their cursor and filter by kind; the log is trimmed.
    s.execute(
        "CREATE TABLE changes (rv INTEGER PRIMARY KEY, kind TEXT NOT NULL, namespace TEXT"
            + " NOT NULL, name TEXT NOT NULL, type TEXT NOT NULL, body TEXT NOT NULL,"
            + " prev_labels TEXT, time INTEGER NOT NULL)");
    s.execute(
        "CREATE TABLE logs (kind TEXT NOT NULL, namespace TEXT NOT NULL, name TEXT NOT"
            + " NULL, seq INTEGER NOT NULL, time INTEGER NOT NULL, line TEXT NOT NULL,"
            + " PRIMARY KEY (kind, namespace, name, seq)) WITHOUT ROWID");
    s.execute("CREATE TABLE counters (key TEXT PRIMARY KEY, value INTEGER NOT NULL)");
    s.execute("INSERT INTO counters VALUES ('compacted_rv', 0)");
  }

  /** Refuses, before SQLite touches it, a file that cannot be a store. */
  static void checkLooksLikeAStore(Path file) {
    byte[] header = new byte[SQLITE_HEADER.length];
    int read;
    try (InputStream in = Files.newInputStream(file)) {
      read = in.readNBytes(header, 0, header.length);
    } catch (IOException e) {
      throw StoreException.unavailable("cannot read sqlite:" + file + ": " + e.getMessage(), e);
    }
    if (read == 0) throw notAStore(file, "the file is empty (0 bytes)");
    if (read < header.length || !Arrays.equals(header, SQLITE_HEADER)) {
      throw notAStore(file, "it is not an SQLite database");
    }
  }

  /** Refuses an SQLite database that is not a Division store, or one of a newer schema. */
  static void checkVersion(Path file, Connection c) throws SQLException {
    int version;
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("PRAGMA user_version")) {
      version = rs.next() ? rs.getInt(1) : 0;
    }
    if (version == 0) {
      throw notAStore(file, "it is an SQLite database without Division's schema");
    }
    if (version > VERSION) {
      throw StoreException.unavailable(
          "sqlite:"
              + file
              + " has schema version "
              + version
              + ", newer than this div supports ("
              + VERSION
              + "); upgrade div",
          null);
    }
    // Later schema versions migrate older files here, in a write transaction.
  }

  static StoreException notAStore(Path file, String why) {
    return new StoreException(
        StoreException.Reason.INVALID,
        "sqlite:"
            + file
            + " is not a Division store: "
            + why
            + "; it was left as it is (restore it from a backup, or move it away to start an"
            + " empty store)");
  }
}
