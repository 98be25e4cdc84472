package io.division.core.store.sqlite;

import io.division.core.DivisionException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Tuning for the embedded store; build one with {@link #builder()}. {@code synchronous=NORMAL} in
 * WAL mode survives a crash of any process; only a power loss can drop the last commits, the usual
 * trade for a local tool.
 *
 * @param lockTimeout how long a write waits for another process's write lock before it fails
 *     (UNAVAILABLE, naming the lock); reads never wait for writers (WAL)
 * @param synchronous SQLite's {@code PRAGMA synchronous}
 * @param fallbackPoll how often a waiting follower looks again when no file event woke it
 * @param trimEvery the change log is trimmed every this many versions
 * @param minRetainedChanges changes always kept, however old
 * @param changeRetention changes younger than this are kept
 * @param nativeCache where the native SQLite library is extracted once and reused (created 0700)
 */
public record SqliteOptions(
    Duration lockTimeout,
    String synchronous,
    Duration fallbackPoll,
    int trimEvery,
    long minRetainedChanges,
    Duration changeRetention,
    Path nativeCache) {

  /** Documented in the README: a write waits at most this long for another writer. */
  public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(10);

  public static final SqliteOptions DEFAULTS = builder().build();

  public SqliteOptions {
    Objects.requireNonNull(lockTimeout, "lockTimeout");
    Objects.requireNonNull(fallbackPoll, "fallbackPoll");
    Objects.requireNonNull(changeRetention, "changeRetention");
    Objects.requireNonNull(nativeCache, "nativeCache");
    if (lockTimeout.isNegative())
      throw DivisionException.invalid("lockTimeout must not be negative");
    if (fallbackPoll.isNegative() || fallbackPoll.isZero())
      throw DivisionException.invalid("fallbackPoll must be positive");
    if (synchronous == null || !synchronous.matches("OFF|NORMAL|FULL|EXTRA")) {
      throw DivisionException.invalid("synchronous must be OFF, NORMAL, FULL or EXTRA");
    }
    if (trimEvery < 1) throw DivisionException.invalid("trimEvery must be positive");
    // The newest change is the version sequence's current value: it must never be trimmed.
    if (minRetainedChanges < 1)
      throw DivisionException.invalid("minRetainedChanges must be at least 1");
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder()
        .lockTimeout(lockTimeout)
        .synchronous(synchronous)
        .fallbackPoll(fallbackPoll)
        .trimEvery(trimEvery)
        .minRetainedChanges(minRetainedChanges)
        .changeRetention(changeRetention)
        .nativeCache(nativeCache);
  }

  /** Starts from the defaults; {@link #build()} validates. */
  public static final class Builder {
    private Duration lockTimeout = DEFAULT_LOCK_TIMEOUT;
    private String synchronous = "NORMAL";
    private Duration fallbackPoll = Duration.ofMillis(500);
    private int trimEvery = 256;
    private long minRetainedChanges = 10_000;
    private Duration changeRetention = Duration.ofHours(1);
    private Path nativeCache =
        Path.of(
            System.getProperty("java.io.tmpdir"),
            "division-native-" + System.getProperty("user.name", "user"));

    private Builder() {}

    public Builder lockTimeout(Duration value) {
      lockTimeout = value;
      return this;
    }

    public Builder synchronous(String value) {
      synchronous = value;
      return this;
    }

    public Builder fallbackPoll(Duration value) {
      fallbackPoll = value;
      return this;
    }

    public Builder trimEvery(int value) {
      trimEvery = value;
      return this;
    }

    public Builder minRetainedChanges(long value) {
      minRetainedChanges = value;
      return this;
    }

    public Builder changeRetention(Duration value) {
      changeRetention = value;
      return this;
    }

    public Builder nativeCache(Path value) {
      nativeCache = value;
      return this;
    }

    public SqliteOptions build() {
      return new SqliteOptions(
          lockTimeout,
          synchronous,
          fallbackPoll,
          trimEvery,
          minRetainedChanges,
          changeRetention,
          nativeCache);
    }
  }
}
