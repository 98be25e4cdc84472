package io.division.core.store;

import io.division.core.model.Resource;
import io.division.core.model.ResourceKey;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What a storage engine implements. Deliberately small: system fields, generations, validation and
 * apply semantics live once in {@link Store}; a backend stores bytes atomically, versions every
 * write from one monotonic sequence, and tells watchers what changed. Every backend passes the same
 * conformance suite.
 */
public interface StoreBackend extends AutoCloseable {
  /** For messages: {@code sqlite:/home/u/.division/division.db}. */
  String describe();

  Optional<Resource> get(ResourceKey key);

  ResourceList list(ListQuery query);

  /**
   * Applies every write or none. Each create and update gets a new resourceVersion, greater than
   * any before it; results come back in order (for a delete: the last state, at the delete's
   * version).
   */
  List<Resource> write(List<Write> writes);

  Watch watch(WatchQuery query);

  /** Appends lines to a resource's log; returns the sequence number of the last one. */
  long appendLog(ResourceKey key, List<String> lines);

  /** Up to {@code limit} lines with sequence greater than {@code afterSeq}, in order. */
  List<LogLine> readLog(ResourceKey key, long afterSeq, int limit);

  /**
   * A mark that moves whenever the store may have changed (any write or log append, from any
   * process). Take it before reading, then {@link #awaitChange} with it: no change is missed.
   */
  long changeMark();

  /**
   * Blocks until the change mark differs from {@code mark} or the timeout passes; followers use it
   * instead of polling hot. A spurious return is allowed.
   */
  void awaitChange(long mark, Duration timeout) throws InterruptedException;

  @Override
  void close();
}
