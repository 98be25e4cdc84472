package io.division.core.store.sqlite;

import io.division.core.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The embedded store's one JDBC connection, shared by the threads of a process: units of work run
 * one at a time under a lock, in read or write transactions, with prepared statements cached, and
 * another process's lock waited for at most the lock timeout.
 */
final class SqliteConnection implements AutoCloseable {
  /** Between retries of an immediate SQLITE_BUSY, unless the file changes first. */
  private static final Duration BUSY_RETRY_PAUSE = Duration.ofMillis(20);

  private final String describe;
  private final Connection connection;
  private final Duration lockTimeout;
  private final ChangeNotifier notifier;
  private final ReentrantLock lock = new ReentrantLock();
  private final Map<String, PreparedStatement> statements = new HashMap<>();

  SqliteConnection(
      String describe, Connection connection, Duration lockTimeout, ChangeNotifier notifier) {
    this.describe = describe;
    this.connection = connection;
    this.lockTimeout = lockTimeout;
    this.notifier = notifier;
  }

  @FunctionalInterface
  interface SqlWork<T> {
    T run() throws SQLException;
  }

  PreparedStatement prepare(String sql) throws SQLException {
    PreparedStatement ps = statements.get(sql);
    if (ps == null) {
      ps = connection.prepareStatement(sql);
      statements.put(sql, ps);
    }
    return ps;
  }

  <T> T withConnection(SqlWork<T> work) {
    return retryingBusy(
        () -> {
          lock.lock();
          try {
            return work.run();
          } finally {
            lock.unlock();
          }
        });
  }

  <T> T inReadTransaction(SqlWork<T> work) {
    return inTransaction("BEGIN", work);
  }

  <T> T inWriteTransaction(SqlWork<T> work) {
    return inTransaction("BEGIN IMMEDIATE", work);
  }

  private <T> T inTransaction(String begin, SqlWork<T> work) {
    return retryingBusy(
        () -> {
          lock.lock();
          try {
            prepare(begin).execute();
            boolean committed = false;
            try {
              T result = work.run();
              prepare("COMMIT").execute();
              committed = true;
              return result;
            } finally {
              if (!committed) {
                try {
                  prepare("ROLLBACK").execute();
                } catch (SQLException ignored) {
                  // the transaction is already gone
                }
              }
            }
          } finally {
            lock.unlock();
          }
        });
  }

  /**
   * busy_timeout makes SQLite itself wait up to the lock timeout for another process's lock. Some
   * waits SQLite does not cover (a reader racing a checkpoint) report SQLITE_BUSY at once: those
   * are retried, each after the next change to the file or a few milliseconds, until the same
   * deadline. Past it, the write gives up with one line naming the lock.
   */
  private <T> T retryingBusy(SqlWork<T> work) {
    long deadline = System.nanoTime() + lockTimeout.toNanos();
    while (true) {
      long mark = notifier.mark();
      try {
        return work.run();
      } catch (SQLException e) {
        if (!isBusy(e)) throw StoreException.unavailable(describe + ": " + e.getMessage(), e);
        long left = deadline - System.nanoTime();
        if (left <= 0) throw lockTimedOut(e);
        try {
          notifier.await(mark, Duration.ofNanos(Math.min(left, BUSY_RETRY_PAUSE.toNanos())));
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw StoreException.unavailable(
              describe + ": interrupted while waiting for the database's write lock", e);
        }
      }
    }
  }

  private static boolean isBusy(SQLException e) {
    int code =
        e.getErrorCode() & 0xff; // extended codes (SQLITE_BUSY_SNAPSHOT, ...) share the low byte
    return code == 5 || code == 6 || String.valueOf(e.getMessage()).contains("SQLITE_BUSY");
  }

  private StoreException lockTimedOut(SQLException e) {
    return new StoreException(
        StoreException.Reason.UNAVAILABLE,
        describe
            + " is locked: another process held its write lock for more than "
            + seconds(lockTimeout)
            + " (SQLITE_BUSY); nothing was written, try again when it is done",
        e);
  }

  private static String seconds(Duration d) {
    long millis = d.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + " s" : String.format("%.1f s", millis / 1000.0);
  }

  @Override
  public void close() {
    lock.lock();
    try {
      for (PreparedStatement ps : statements.values()) ps.close();
      statements.clear();
      connection.close();
    } catch (SQLException e) {
      // closing: nothing to recover
    } finally {
      lock.unlock();
    }
  }
}
