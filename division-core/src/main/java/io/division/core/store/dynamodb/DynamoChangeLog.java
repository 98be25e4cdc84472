package io.division.core.store.dynamodb;

import static io.division.core.store.dynamodb.DynamoItems.*;

import io.division.core.model.ResourceKey;
import io.division.core.store.Change;
import io.division.core.store.PollingWatch;
import io.division.core.store.StoreBackend;
import io.division.core.store.StoreException;
import io.division.core.store.StoredObjects;
import io.division.core.store.Watch;
import io.division.core.store.WatchEvent;
import io.division.core.store.WatchQuery;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The change log of each kind and the watches that read it, plus the change mark followers sleep
 * on. DynamoDB has no push to a client: watches poll the kind's counter, soon after a change and
 * less often while nothing changes ({@link PollSchedule}), or at once after a write through this
 * handle.
 */
final class DynamoChangeLog implements AutoCloseable {
  private final DynamoAccess access;
  private final DynamoSettings settings;
  private final DynamoDbClient client;
  private final StoreBackend backend;
  private final PollSchedule schedule;
  private final ReadMeter meter = new ReadMeter();
  private final Object markLock = new Object();
  private long mark;
  private boolean closed;

  DynamoChangeLog(DynamoAccess access, StoreBackend backend) {
    this.access = access;
    this.settings = access.settings;
    this.client = access.client;
    this.backend = backend;
    this.schedule =
        new PollSchedule(settings.pollInterval(), settings.idlePollInterval(), System::nanoTime);
  }

  DynamoBackend.WatchReads reads() {
    return meter.snapshot();
  }

  private long readCounter(String kind) {
    long startedAt = schedule.now();
    long last = access.counter(kind, meter).last();
    schedule.read(kind, last, startedAt);
    return last;
  }

  Watch watch(WatchQuery query) {
    String kind = query.kind();
    long last = readCounter(kind);
    long start;
    String from = query.fromResourceVersion();
    if (from == null || from.isEmpty()) {
      start = last;
    } else {
      start = parseVersion(from);
      // Versions of a kind are dense: the change right after the start must still be there,
      // or the change log has been trimmed (TTL) past it.
      if (start < last && changeRecord(kind, start + 1) == null) throw StoreException.gone(from);
    }
    return new PollingWatch(
        backend, (after, limit) -> changesAfter(kind, after, limit), query, start);
  }

  private Map<String, AttributeValue> changeRecord(String kind, long rv) {
    String table = access.changesTable(kind);
    try {
      var response =
          access.call(
              "GetItem",
              table,
              () ->
                  client.getItem(
                      b ->
                          b.tableName(table)
                              .key(Map.of(KIND, s(kind), RV, n(rv)))
                              .consistentRead(true)));
      return response.hasItem() && !response.item().isEmpty() ? response.item() : null;
    } catch (DynamoAccess.MissingTable e) {
      return null;
    }
  }

  /**
   * The changes of a kind after {@code after}, oldest first. The counter is read first with a
   * strongly consistent GetItem, which is serializable with the write transactions: every version
   * up to it is committed, so a strongly consistent query up to it sees all of them, and a hole can
   * only be a record that TTL removed (GONE). Records of a transaction still committing lie above
   * the counter and wait for the next poll. When the schedule says the counter is not due, its last
   * value stands in (still a committed version): an idle watcher costs one GetItem per scheduled
   * read, whatever the number of polls.
   */
  List<Change> changesAfter(String kind, long after, int limit) {
    long known = schedule.counterIfNotDue(kind);
    long last = known >= 0 ? known : readCounter(kind);
    if (last <= after) return List.of();
    long upTo = Math.min(last, after + limit);
    String table = access.changesTable(kind);
    List<Change> out = new ArrayList<>();
    long expected = after + 1;
    try {
      for (Map<String, AttributeValue> item :
          access.queryRange(table, KIND, s(kind), RV, after + 1, upTo, meter)) {
        long rv = Long.parseLong(item.get(RV).n());
        if (rv != expected) throw StoreException.gone(Long.toString(after));
        expected++;
        AttributeValue prev = item.get(PREV);
        out.add(
            new Change(
                rv,
                WatchEvent.Type.valueOf(item.get(TYPE).s()),
                StoredObjects.parse(
                    new ResourceKey(kind, text(item.get(NS)), text(item.get(NAME))),
                    text(item.get(BODY))),
                prev == null ? null : labels(prev)));
      }
    } catch (DynamoAccess.MissingTable e) {
      throw StoreException.gone(Long.toString(after));
    }
    if (expected != upTo + 1) throw StoreException.gone(Long.toString(after));
    return out;
  }

  private static long parseVersion(String rv) {
    try {
      long v = Long.parseLong(rv);
      if (v < 0) throw new NumberFormatException();
      return v;
    } catch (NumberFormatException e) {
      throw StoreException.invalid("invalid resourceVersion \"" + rv + "\"");
    }
  }

  /**
   * DynamoDB has no push to a client, so the mark moves only for writes made through this handle;
   * {@link #awaitChange} returns early for those and otherwise after the poll interval, which
   * bounds how late a watcher or log follower sees another process's write.
   */
  long changeMark() {
    synchronized (markLock) {
      return mark;
    }
  }

  /**
   * Returns after at most the (fast) poll interval: a watch then asks its source again, which reads
   * DynamoDB only when the schedule says so; waking costs no call.
   */
  void awaitChange(long seen, Duration timeout) throws InterruptedException {
    long wait = Math.min(timeout.toNanos(), settings.pollInterval().toNanos());
    long deadline = System.nanoTime() + wait;
    synchronized (markLock) {
      while (mark == seen && !closed) {
        long left = deadline - System.nanoTime();
        if (left <= 0) return;
        TimeUnit.NANOSECONDS.timedWait(markLock, left);
      }
    }
  }

  void bump() {
    schedule.changed();
    synchronized (markLock) {
      mark++;
      markLock.notifyAll();
    }
  }

  /** Wakes every waiting follower for good. */
  @Override
  public void close() {
    synchronized (markLock) {
      closed = true;
      markLock.notifyAll();
    }
  }
}
