package io.division.core.store.sqlite;

import com.fasterxml.jackson.databind.JsonNode;
import io.division.core.model.Json;
import io.division.core.model.Resource;
import io.division.core.model.ResourceKey;
import io.division.core.store.Change;
import io.division.core.store.ListQuery;
import io.division.core.store.LogLine;
import io.division.core.store.PollingWatch;
import io.division.core.store.ResourceList;
import io.division.core.store.StoreBackend;
import io.division.core.store.StoreException;
import io.division.core.store.StoredObjects;
import io.division.core.store.Watch;
import io.division.core.store.WatchEvent;
import io.division.core.store.WatchQuery;
import io.division.core.store.Write;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.sqlite.SQLiteConfig;

/**
 * The embedded store: one SQLite file in WAL mode, shared safely by several processes on one host
 * (CLI calls, a gateway). Writes take the database's write lock up front ({@code BEGIN IMMEDIATE}),
 * so the store-wide resourceVersion sequence is assigned in commit order and a watcher reading the
 * change log never sees a gap.
 *
 * <p>A little over 400 lines on purpose: every statement on the three tables (resources, changes,
 * logs) is here, so that the whole SQL of the store can be read and changed in one place. The file
 * itself is {@link SqliteSchema}'s, the connection and its locking {@link SqliteConnection}'s.
 */
public final class SqliteBackend implements StoreBackend {
  /** The schema this code writes; see {@link SqliteSchema}. */
  static final int SCHEMA_VERSION = SqliteSchema.VERSION;

  private final Path file;
  private final SqliteOptions options;
  private final ChangeNotifier notifier;
  private final SqliteConnection db;

  private SqliteBackend(Path file, SqliteOptions options, Connection connection) {
    this.file = file;
    this.options = options;
    this.notifier = new ChangeNotifier(file, options.fallbackPoll());
    this.db = new SqliteConnection("sqlite:" + file, connection, options.lockTimeout(), notifier);
  }

  public static SqliteBackend open(Path file) {
    return open(file, SqliteOptions.DEFAULTS);
  }

  /**
   * Does ahead of a first {@link #open} what every open's process does once: loads the native
   * library (from the cache in {@code nativeCache}, verified), registers the driver, and builds the
   * date format the driver makes for each connection (its first use sets up the JVM's calendar
   * data). A short-lived caller runs it on a thread of its own while it does other work; optional,
   * and any failure is left for {@code open} to meet and report.
   */
  public static void preload(Path nativeCache) {
    try {
      SqliteNative.prepare(nativeCache);
      DriverManager.getDrivers(); // after prepare: the driver must find the cached library
      org.sqlite.date.FastDateFormat.getInstance(SQLiteConfig.DEFAULT_DATE_STRING_FORMAT);
    } catch (RuntimeException | LinkageError e) {
      // open does the same work again and reports what fails
    }
  }

  /**
   * Opens the store in {@code file}, creating it if there is no such file. An existing file must be
   * a Division store: an empty file, a file that is not an SQLite database, or an SQLite database
   * without Division's schema is refused and left as it is, never initialised over.
   */
  public static SqliteBackend open(Path file, SqliteOptions options) {
    Path absolute = file.toAbsolutePath();
    SqliteNative.prepare(options.nativeCache());
    if (!Files.exists(absolute)) SqliteSchema.createStore(absolute);
    SqliteSchema.checkLooksLikeAStore(absolute);
    try {
      Connection c = DriverManager.getConnection("jdbc:sqlite:" + absolute);
      try {
        try (Statement s = c.createStatement()) {
          s.execute("PRAGMA busy_timeout=" + options.lockTimeout().toMillis());
          s.execute("PRAGMA journal_mode=WAL");
          s.execute("PRAGMA synchronous=" + options.synchronous());
        }
        SqliteSchema.checkVersion(absolute, c);
        return new SqliteBackend(absolute, options, c);
      } catch (SQLException | RuntimeException e) {
        c.close();
        throw e;
      }
    } catch (SQLException e) {
      int code = e.getErrorCode() & 0xff;
      if (code == 26) throw SqliteSchema.notAStore(absolute, "it is not an SQLite database");
      if (code == 11) throw SqliteSchema.notAStore(absolute, "its database file is damaged");
      throw StoreException.unavailable("cannot open sqlite:" + absolute + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String describe() {
    return "sqlite:" + file;
  }

  public Path file() {
    return file;
  }

  @Override
  public Optional<Resource> get(ResourceKey key) {
    return db.withConnection(
        () -> {
          PreparedStatement ps =
              db.prepare("SELECT body FROM resources WHERE kind=? AND namespace=? AND name=?");
          bindKey(ps, 1, key);
          try (ResultSet rs = ps.executeQuery()) {
            return rs.next()
                ? Optional.of(StoredObjects.parse(key, rs.getString(1)))
                : Optional.empty();
          }
        });
  }

  @Override
  public ResourceList list(ListQuery query) {
    return db.inReadTransaction(
        () -> {
          PreparedStatement ps =
              query.namespace() == null
                  ? db.prepare(
                      "SELECT labels, body, namespace, name FROM resources WHERE kind=? ORDER BY namespace,"
                          + " name")
                  : db.prepare(
                      "SELECT labels, body, namespace, name FROM resources WHERE kind=? AND namespace=?"
                          + " ORDER BY name");
          ps.setString(1, query.kind());
          if (query.namespace() != null) ps.setString(2, query.namespace());
          List<Resource> items = new ArrayList<>();
          List<ResourceList.Damaged> damaged = new ArrayList<>();
          boolean filter = !query.selector().isEverything();
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              ResourceKey key = new ResourceKey(query.kind(), rs.getString(3), rs.getString(4));
              try {
                // The labels column is small: parse it first and the body only for a match.
                if (filter && !query.selector().matches(labels(rs.getString(1)))) continue;
                items.add(StoredObjects.parse(key, rs.getString(2)));
              } catch (StoreException e) {
                damaged.add(new ResourceList.Damaged(key, e.getMessage()));
              }
            }
          }
          return new ResourceList(items, Long.toString(latestVersion()), damaged);
        });
  }

  @Override
  public List<Resource> write(List<Write> writes) {
    List<Resource> results =
        db.inWriteTransaction(
            () -> {
              List<Resource> out = new ArrayList<>(writes.size());
              long now = System.currentTimeMillis();
              // Writers hold the write lock, so the newest change is the sequence's current value.
              long version = latestVersion();
              for (Write w : writes) out.add(apply(w, ++version, now));
              long first = Long.parseLong(out.get(0).resourceVersion());
              long last = Long.parseLong(out.get(out.size() - 1).resourceVersion());
              if ((first - 1) / options.trimEvery() != last / options.trimEvery())
                trimChanges(last);
              return out;
            });
    notifier.bump();
    return results;
  }

  private Resource apply(Write w, long version, long now) throws SQLException {
    ResourceKey key = w.key();
    if (w instanceof Write.Create create) {
      // The primary key decides whether the name is taken: no read needed on the hot path.
      Resource stored = withVersion(create.resource(), version);
      String body = Json.write(stored.toJson());
      PreparedStatement ins =
          db.prepare(
              "INSERT OR IGNORE INTO resources (kind, namespace, name, rv, labels, body) VALUES (?,?,?,?,?,?)");
      bindKey(ins, 1, key);
      ins.setLong(4, Long.parseLong(stored.resourceVersion()));
      ins.setString(5, Json.write(stored.metadata().labels()));
      ins.setString(6, body);
      if (ins.executeUpdate() == 0) throw StoreException.alreadyExists(key);
      recordChange(stored, WatchEvent.Type.ADDED, body, null, now);
      return stored;
    }
    PreparedStatement find =
        db.prepare(
            "SELECT rv, labels, body FROM resources WHERE kind=? AND namespace=? AND name=?");
    bindKey(find, 1, key);
    Long currentRv = null;
    String currentLabels = null;
    String currentBody = null;
    try (ResultSet rs = find.executeQuery()) {
      if (rs.next()) {
        currentRv = rs.getLong(1);
        currentLabels = rs.getString(2);
        currentBody = rs.getString(3);
      }
    }
    if (currentRv == null) throw StoreException.notFound(key);
    if (w instanceof Write.Update update) {
      if (!Long.toString(currentRv).equals(update.expectedResourceVersion())) {
        throw StoreException.conflict(key);
      }
      Resource stored = withVersion(update.resource(), version);
      String body = Json.write(stored.toJson());
      PreparedStatement upd =
          db.prepare(
              "UPDATE resources SET rv=?, labels=?, body=? WHERE kind=? AND namespace=? AND name=?");
      upd.setLong(1, Long.parseLong(stored.resourceVersion()));
      upd.setString(2, Json.write(stored.metadata().labels()));
      upd.setString(3, body);
      bindKey(upd, 4, key);
      upd.executeUpdate();
      recordChange(stored, WatchEvent.Type.MODIFIED, body, currentLabels, now);
      return stored;
    }
    Write.Delete delete = (Write.Delete) w;
    if (delete.expectedResourceVersion() != null
        && !Long.toString(currentRv).equals(delete.expectedResourceVersion())) {
      throw StoreException.conflict(key);
    }
    Resource last = withVersion(StoredObjects.lastStateForDelete(key, currentBody), version);
    String body = Json.write(last.toJson());
    PreparedStatement del =
        db.prepare("DELETE FROM resources WHERE kind=? AND namespace=? AND name=?");
    bindKey(del, 1, key);
    del.executeUpdate();
    PreparedStatement delLogs =
        db.prepare("DELETE FROM logs WHERE kind=? AND namespace=? AND name=?");
    bindKey(delLogs, 1, key);
    delLogs.executeUpdate();
    recordChange(last, WatchEvent.Type.DELETED, body, currentLabels, now);
    return last;
  }

  private static Resource withVersion(Resource r, long rv) {
    return r.withMetadata(r.metadata().withResourceVersion(Long.toString(rv)));
  }

  /**
   * The store's current version: the newest change. Trimming always keeps the newest changes, so
   * this never goes back.
   */
  private long latestVersion() throws SQLException {
    try (ResultSet rs = db.prepare("SELECT COALESCE(MAX(rv), 0) FROM changes").executeQuery()) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  private long counter(String key) throws SQLException {
    PreparedStatement ps = db.prepare("SELECT value FROM counters WHERE key=?");
    ps.setString(1, key);
    try (ResultSet rs = ps.executeQuery()) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  private void recordChange(
      Resource r, WatchEvent.Type type, String body, String previousLabels, long now)
      throws SQLException {
    PreparedStatement ps =
        db.prepare(
            "INSERT INTO changes (rv, kind, namespace, name, type, body, prev_labels, time) VALUES"
                + " (?,?,?,?,?,?,?,?)");
    ps.setLong(1, Long.parseLong(r.resourceVersion()));
    ps.setString(2, r.kind());
    ps.setString(3, r.namespace() == null ? "" : r.namespace());
    ps.setString(4, r.name());
    ps.setString(5, type.name());
    ps.setString(6, body);
    ps.setString(7, previousLabels);
    ps.setLong(8, now);
    ps.executeUpdate();
  }

  /**
   * Keeps the change log bounded: entries older than the retention age are dropped once more than
   * the minimum count remain. The highest dropped version is remembered so that a watch from before
   * it fails with GONE instead of silently missing changes.
   */
  private void trimChanges(long rv) throws SQLException {
    long keepFrom = rv - options.minRetainedChanges();
    long olderThan = System.currentTimeMillis() - options.changeRetention().toMillis();
    PreparedStatement max = db.prepare("SELECT MAX(rv) FROM changes WHERE rv <= ? AND time < ?");
    max.setLong(1, keepFrom);
    max.setLong(2, olderThan);
    long highest;
    try (ResultSet rs = max.executeQuery()) {
      highest = rs.next() ? rs.getLong(1) : 0;
    }
    if (highest <= 0) return;
    PreparedStatement del = db.prepare("DELETE FROM changes WHERE rv <= ?");
    del.setLong(1, highest);
    del.executeUpdate();
    PreparedStatement mark =
        db.prepare("UPDATE counters SET value = MAX(value, ?) WHERE key='compacted_rv'");
    mark.setLong(1, highest);
    mark.executeUpdate();
  }

  @Override
  public Watch watch(WatchQuery query) {
    long start =
        db.withConnection(
            () -> {
              if (query.fromResourceVersion() == null || query.fromResourceVersion().isEmpty()) {
                return latestVersion();
              }
              long from = parseVersion(query.fromResourceVersion());
              if (from < counter("compacted_rv"))
                throw StoreException.gone(query.fromResourceVersion());
              return from;
            });
    return PollingWatch.paged(
        this, (after, limit) -> changesAfter(query, after, limit), query, start);
  }

  private PollingWatch.Page changesAfter(WatchQuery query, long after, int limit) {
    return db.inReadTransaction(
        () -> {
          if (after < counter("compacted_rv")) throw StoreException.gone(Long.toString(after));
          // Read up to a fixed point so that, when fewer than `limit` match, the cursor can skip
          // every change of other kinds up to it.
          long through = latestVersion();
          PreparedStatement ps =
              db.prepare(
                  "SELECT rv, type, body, prev_labels, namespace, name FROM changes WHERE rv>? AND rv<=?"
                      + " AND kind=? ORDER BY rv"
                      + " LIMIT ?");
          ps.setLong(1, after);
          ps.setLong(2, through);
          ps.setString(3, query.kind());
          ps.setInt(4, limit);
          List<Change> out = new ArrayList<>();
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              String prev = rs.getString(4);
              out.add(
                  new Change(
                      rs.getLong(1),
                      WatchEvent.Type.valueOf(rs.getString(2)),
                      StoredObjects.parse(
                          new ResourceKey(query.kind(), rs.getString(5), rs.getString(6)),
                          rs.getString(3)),
                      prev == null ? null : labels(prev)));
            }
          }
          return new PollingWatch.Page(
              out, out.size() < limit ? through : out.get(out.size() - 1).resourceVersion());
        });
  }

  private static long parseVersion(String rv) {
    try {
      return Long.parseLong(rv);
    } catch (NumberFormatException e) {
      throw StoreException.invalid("invalid resourceVersion \"" + rv + "\"");
    }
  }

  @Override
  public long appendLog(ResourceKey key, List<String> lines) {
    long last =
        db.inWriteTransaction(
            () -> {
              PreparedStatement exists =
                  db.prepare("SELECT 1 FROM resources WHERE kind=? AND namespace=? AND name=?");
              bindKey(exists, 1, key);
              try (ResultSet rs = exists.executeQuery()) {
                if (!rs.next()) throw StoreException.notFound(key);
              }
              PreparedStatement max =
                  db.prepare(
                      "SELECT COALESCE(MAX(seq), 0) FROM logs WHERE kind=? AND namespace=? AND name=?");
              bindKey(max, 1, key);
              long seq;
              try (ResultSet rs = max.executeQuery()) {
                rs.next();
                seq = rs.getLong(1);
              }
              PreparedStatement ins =
                  db.prepare(
                      "INSERT INTO logs (kind, namespace, name, seq, time, line) VALUES (?,?,?,?,?,?)");
              long now = System.currentTimeMillis();
              for (String line : lines) {
                bindKey(ins, 1, key);
                ins.setLong(4, ++seq);
                ins.setLong(5, now);
                ins.setString(6, line);
                ins.addBatch();
              }
              ins.executeBatch();
              return seq;
            });
    notifier.bump();
    return last;
  }

  @Override
  public List<LogLine> readLog(ResourceKey key, long afterSeq, int limit) {
    return db.withConnection(
        () -> {
          PreparedStatement ps =
              db.prepare(
                  "SELECT seq, time, line FROM logs WHERE kind=? AND namespace=? AND name=? AND seq>?"
                      + " ORDER BY seq LIMIT ?");
          bindKey(ps, 1, key);
          ps.setLong(4, afterSeq);
          ps.setInt(5, limit);
          List<LogLine> out = new ArrayList<>();
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.add(
                  new LogLine(rs.getLong(1), Instant.ofEpochMilli(rs.getLong(2)), rs.getString(3)));
            }
          }
          return out;
        });
  }

  @Override
  public long changeMark() {
    return notifier.mark();
  }

  @Override
  public void awaitChange(long mark, Duration timeout) throws InterruptedException {
    notifier.await(mark, timeout);
  }

  @Override
  public void close() {
    notifier.close();
    db.close();
  }

  /** The labels column, read without a mapper (see {@link Json#parse}): an object of strings. */
  private static Map<String, String> labels(String json) {
    JsonNode node;
    try {
      node = Json.parse(json);
    } catch (UncheckedIOException e) {
      throw new StoreException(
          StoreException.Reason.INTERNAL, "corrupt labels column: " + json, e.getCause());
    }
    if (node.isNull()) return null;
    if (!node.isObject()) {
      throw new StoreException(StoreException.Reason.INTERNAL, "corrupt labels column: " + json);
    }
    Map<String, String> labels = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      if (!e.getValue().isTextual()) {
        throw new StoreException(StoreException.Reason.INTERNAL, "corrupt labels column: " + json);
      }
      labels.put(e.getKey(), e.getValue().textValue());
    }
    return labels;
  }

  private static void bindKey(PreparedStatement ps, int first, ResourceKey key)
      throws SQLException {
    ps.setString(first, key.kind());
    ps.setString(first + 1, key.namespace());
    ps.setString(first + 2, key.name());
  }
}
