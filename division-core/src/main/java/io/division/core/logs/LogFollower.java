package io.division.core.logs;

import io.division.core.model.ResourceKey;
import io.division.core.store.LogLine;
import io.division.core.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Reads a resource's log: all of it, its tail, what came since a moment, and optionally follows it,
 * waking on the store's change signal instead of polling hot.
 */
public final class LogFollower {
  private static final int PAGE = 5000;

  private final Store store;
  private final ResourceKey key;
  private long position;

  public LogFollower(Store store, ResourceKey key) {
    this.store = store;
    this.key = key;
  }

  /** Starts after line {@code seq}: what came before is not this reader's business. */
  public void skipTo(long seq) {
    position = Math.max(position, seq);
  }

  /** The sequence number of the last line delivered. */
  public long position() {
    return position;
  }

  /**
   * Delivers the existing lines, limited to the last {@code tail} (negative: all) and to those
   * written at or after {@code since} (null: any time).
   */
  public void readExisting(int tail, Instant since, Consumer<LogLine> sink) {
    ArrayDeque<LogLine> last = new ArrayDeque<>();
    while (true) {
      List<LogLine> page = store.readLog(key, position, PAGE);
      for (LogLine line : page) {
        position = line.seq();
        if (since != null && line.time().isBefore(since)) continue;
        if (tail < 0) {
          sink.accept(line);
        } else if (tail > 0) {
          last.addLast(line);
          if (last.size() > tail) last.removeFirst();
        }
      }
      if (page.size() < PAGE) break;
    }
    last.forEach(sink);
  }

  /** Delivers new lines as they are written until {@code stop} says so. */
  public void follow(Consumer<LogLine> sink, BooleanSupplier stop, Duration pollCap)
      throws InterruptedException {
    while (!stop.getAsBoolean()) {
      long mark = store.changeMark();
      if (drain(sink) == 0) store.awaitChange(mark, pollCap);
    }
    drain(sink);
  }

  /**
   * Follows the log until {@code stop} says so or the resource is gone: a log ends with its
   * resource. Whether it still exists is read at most once per {@code existenceCheck}, so a
   * follower costs the store almost nothing while the log is quiet.
   *
   * @return true when following ended because the resource was deleted
   */
  public boolean followWhilePresent(
      Consumer<LogLine> sink,
      BooleanSupplier stop,
      Duration pollCap,
      Duration existenceCheck,
      Clock clock)
      throws InterruptedException {
    Instant[] nextCheck = {clock.instant()};
    boolean[] gone = {false};
    follow(
        sink,
        () -> {
          if (stop.getAsBoolean()) return true;
          Instant now = clock.instant();
          if (!now.isBefore(nextCheck[0])) {
            nextCheck[0] = now.plus(existenceCheck);
            gone[0] = store.find(key).isEmpty();
          }
          return gone[0];
        },
        pollCap);
    return gone[0];
  }

  /** Delivers whatever was written since the last call; returns how many lines. */
  public int drain(Consumer<LogLine> sink) {
    int count = 0;
    while (true) {
      List<LogLine> page = store.readLog(key, position, PAGE);
      for (LogLine line : page) {
        position = line.seq();
        sink.accept(line);
      }
      count += page.size();
      if (page.size() < PAGE) return count;
    }
  }
}
