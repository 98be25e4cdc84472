package io.division.core.store.sqlite;

import io.division.core.DivisionException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Tuning for the embedded store. {@code synchronous=NORMAL} in WAL mode survives a crash of any
 * process; only a power loss can drop the last commits, the usual trade for a local tool.
 */
public record SqliteOptions(
    Duration busyTimeout,
    String synchronous,
    Duration fallbackPoll,
    int trimEvery,
    long minRetainedChanges,
    Duration changeRetention,
    Path nativeCache) {

  public static final SqliteOptions DEFAULTS =
      new SqliteOptions(
          Duration.ofSeconds(10),
          "NORMAL",
          Duration.ofMillis(500),
          256,
          10_000,
          Duration.ofHours(1),
          Path.of(
              System.getProperty("java.io.tmpdir"),
              "division-native-" + System.getProperty("user.name", "user")));

  public SqliteOptions {
    if (!synchronous.matches("OFF|NORMAL|FULL|EXTRA")) {
      throw DivisionException.invalid("synchronous must be OFF, NORMAL, FULL or EXTRA");
    }
    if (trimEvery < 1) throw DivisionException.invalid("trimEvery must be positive");
    // The newest change is the version sequence's current value: it must never be trimmed.
    if (minRetainedChanges < 1)
      throw DivisionException.invalid("minRetainedChanges must be at least 1");
  }

  public SqliteOptions withRetention(
      int trimEvery, long minRetainedChanges, Duration changeRetention) {
    return new SqliteOptions(
        busyTimeout,
        synchronous,
        fallbackPoll,
        trimEvery,
        minRetainedChanges,
        changeRetention,
        nativeCache);
  }

  public SqliteOptions withNativeCache(Path dir) {
    return new SqliteOptions(
        busyTimeout,
        synchronous,
        fallbackPoll,
        trimEvery,
        minRetainedChanges,
        changeRetention,
        dir);
  }
}
