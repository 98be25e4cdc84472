package io.division.core.store.dynamodb;

import static io.division.core.store.dynamodb.DynamoItems.*;

import io.division.core.model.Json;
import io.division.core.model.Resource;
import io.division.core.model.ResourceKey;
import io.division.core.store.StoreException;
import io.division.core.store.StoredObjects;
import io.division.core.store.WatchEvent;
import io.division.core.store.Write;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Writes a batch as one TransactWriteItems: each kind's counter moves from the value read to the
 * next (condition: unchanged), the resources are written (conditions: absent for a create, the
 * expected resourceVersion for an update or delete) and one change record per write is put at its
 * new version. A lost race for a counter is retried from fresh reads with jittered backoff.
 */
final class DynamoWriter {
  /** DynamoDB's limit on the items of one transaction. */
  static final int MAX_TRANSACTION_ITEMS = 100;

  private static final int MAX_WRITE_ATTEMPTS = 60;

  private final DynamoAccess access;
  private final DynamoSettings settings;
  private final DynamoDbClient client;
  private final DynamoTableManager tables;
  private final Runnable onCommit;

  /** The last counter value this handle saw per kind: a write tries it before reading. */
  private final Map<String, Long> knownCounters = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * Labels by (key, version). A version of a key never changes content, so an entry is never stale;
   * it spares an update the read of the previous labels its change record needs.
   */
  private final Map<ResourceKey, Seen> seen =
      java.util.Collections.synchronizedMap(
          new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<ResourceKey, Seen> eldest) {
              return size() > 4096;
            }
          });

  private record Seen(String rv, AttributeValue labels) {}

  private static final ThreadLocal<Integer> conflictStreak = ThreadLocal.withInitial(() -> 0);

  DynamoWriter(DynamoAccess access, Runnable onCommit) {
    this.access = access;
    this.settings = access.settings;
    this.client = access.client;
    this.tables = access.tables;
    this.onCommit = onCommit;
  }

  /** Remembers the labels of a version read elsewhere, so that updating it needs no read. */
  void remember(ResourceKey key, Map<String, AttributeValue> item) {
    seen.put(key, new Seen(item.get(RV).n(), item.get(LABELS)));
  }

  List<Resource> write(List<Write> writes) {
    if (writes.isEmpty()) return List.of();
    Set<String> kinds = new LinkedHashSet<>();
    for (Write w : writes) kinds.add(w.key().kind());
    int items = writes.size() * 2 + kinds.size();
    if (items > MAX_TRANSACTION_ITEMS) {
      throw StoreException.invalid(
          "too many writes for one DynamoDB transaction: "
              + writes.size()
              + " writes of "
              + kinds.size()
              + " kind(s) need "
              + items
              + " items (2 per write, 1 per kind), at most "
              + MAX_TRANSACTION_ITEMS);
    }
    Backoff backoff = new Backoff(Duration.ofMillis(5), Duration.ofMillis(400));
    boolean ensured = false;
    while (true) {
      try {
        List<Resource> written = tryWrite(writes, kinds);
        if (written != null) {
          conflictStreak.remove();
          onCommit.run();
          return written;
        }
      } catch (DynamoAccess.MissingTable e) {
        if (ensured) throw e;
        ensureWriteTables(writes);
        ensured = true;
        continue;
      } catch (StoreException e) {
        if (!e.is(StoreException.Reason.CONFLICT)) throw e;
        // A round trip here takes milliseconds, so read-modify-write loops that retry a Conflict
        // at once keep colliding; a thread that keeps losing backs off (jittered, exponential).
        int streak = conflictStreak.get() + 1;
        conflictStreak.set(streak);
        new Backoff(Duration.ofMillis(4), Duration.ofSeconds(1)).pauseAfter(streak);
        throw e;
      }
      if (backoff.attempts() >= MAX_WRITE_ATTEMPTS) {
        throw StoreException.unavailable(
            "gave up writing "
                + kinds
                + " after "
                + MAX_WRITE_ATTEMPTS
                + " lost races for the version counter (dynamodb:TransactWriteItems); too many concurrent writers of one kind",
            null);
      }
      backoff.pause();
    }
  }

  private void ensureWriteTables(List<Write> writes) {
    Set<String> done = new LinkedHashSet<>();
    for (Write w : writes) {
      String kind = w.key().kind();
      if (done.add(kind)) {
        tables.ensure(access.changesTable(kind), DynamoTableManager.Shape.CHANGES);
        tables.ensure(access.logsTable(kind), DynamoTableManager.Shape.LOGS);
      }
      tables.ensure(
          access.resourceTable(kind, w.key().namespace()), DynamoTableManager.Shape.RESOURCES);
    }
  }

  /** One attempt; null when another writer won the race for a counter or an item (retry). */
  private List<Resource> tryWrite(List<Write> writes, Set<String> kinds) {
    long now = System.currentTimeMillis();
    List<Map<String, AttributeValue>> current = new ArrayList<>(writes.size());
    for (Write w : writes) {
      if (w instanceof Write.Create) {
        current.add(null);
        continue;
      }
      if (w instanceof Write.Update u) {
        Seen known = seen.get(w.key());
        if (known != null
            && known.rv().equals(u.expectedResourceVersion())
            && known.labels() != null) {
          // The transaction's condition on the version makes these the labels being replaced.
          current.add(Map.of(RV, AttributeValue.fromN(known.rv()), LABELS, known.labels()));
          continue;
        }
      }
      Map<String, AttributeValue> item = access.readItem(w.key());
      if (item == null) throw StoreException.notFound(w.key());
      String expected =
          w instanceof Write.Update u
              ? u.expectedResourceVersion()
              : ((Write.Delete) w).expectedResourceVersion();
      if (expected != null && !expected.equals(item.get(RV).n()))
        throw StoreException.conflict(w.key());
      current.add(item);
    }

    Map<String, Long> last = new LinkedHashMap<>();
    Map<String, Set<String>> namespaces = new LinkedHashMap<>();
    Map<String, Integer> count = new HashMap<>();
    for (String kind : kinds) {
      Long known = knownCounters.get(kind);
      last.put(kind, known != null ? known : access.counter(kind).last());
    }
    for (Write w : writes) {
      namespaces.computeIfAbsent(w.key().kind(), k -> new TreeSet<>()).add(w.key().namespace());
      count.merge(w.key().kind(), 1, Integer::sum);
    }

    List<TransactWriteItem> items = new ArrayList<>();
    for (String kind : kinds) {
      long old = last.get(kind);
      long updated = old + count.get(kind);
      Map<String, String> names = new HashMap<>(Map.of("#last", LAST, "#ns", NAMESPACES));
      Map<String, AttributeValue> values = new HashMap<>();
      values.put(":new", n(updated));
      values.put(":ns", AttributeValue.fromSs(List.copyOf(namespaces.get(kind))));
      String condition;
      if (old == 0) {
        condition = "attribute_not_exists(#last)";
      } else {
        condition = "#last = :old";
        values.put(":old", n(old));
      }
      items.add(
          TransactWriteItem.builder()
              .update(
                  u ->
                      u.tableName(access.changesTable(kind))
                          .key(counterKey(kind))
                          .updateExpression("SET #last = :new ADD #ns :ns")
                          .conditionExpression(condition)
                          .expressionAttributeNames(names)
                          .expressionAttributeValues(values)
                          // A lost race returns the current counter: the retry needs no read.
                          .returnValuesOnConditionCheckFailure(
                              ReturnValuesOnConditionCheckFailure.ALL_OLD))
              .build());
    }

    long ttl = now / 1000 + settings.changeRetention().toSeconds();
    Map<String, Long> next = new HashMap<>(last);
    List<Resource> results = new ArrayList<>(writes.size());
    int[] resourceItem = new int[writes.size()];
    for (int i = 0; i < writes.size(); i++) {
      Write w = writes.get(i);
      ResourceKey key = w.key();
      String table = access.resourceTable(key.kind(), key.namespace());
      long rv = next.merge(key.kind(), 1L, Long::sum);
      Resource stored;
      WatchEvent.Type type;
      AttributeValue previousLabels = null;
      resourceItem[i] = items.size();
      if (w instanceof Write.Create c) {
        stored = withVersion(c.resource(), rv);
        type = WatchEvent.Type.ADDED;
        Map<String, AttributeValue> item = resourceItem(stored);
        items.add(
            TransactWriteItem.builder()
                .put(
                    p ->
                        p.tableName(table)
                            .item(item)
                            .conditionExpression("attribute_not_exists(#name)")
                            .expressionAttributeNames(Map.of("#name", NAME)))
                .build());
      } else if (w instanceof Write.Update u) {
        stored = withVersion(u.resource(), rv);
        type = WatchEvent.Type.MODIFIED;
        previousLabels = current.get(i).get(LABELS);
        Map<String, AttributeValue> item = resourceItem(stored);
        AttributeValue expected = current.get(i).get(RV);
        items.add(
            TransactWriteItem.builder()
                .put(
                    p ->
                        p.tableName(table)
                            .item(item)
                            .conditionExpression("#rv = :expected")
                            .expressionAttributeNames(Map.of("#rv", RV))
                            .expressionAttributeValues(Map.of(":expected", expected)))
                .build());
      } else {
        Map<String, AttributeValue> before = current.get(i);
        stored = withVersion(StoredObjects.lastStateForDelete(key, text(before.get(BODY))), rv);
        type = WatchEvent.Type.DELETED;
        previousLabels = before.get(LABELS);
        AttributeValue expected = before.get(RV);
        items.add(
            TransactWriteItem.builder()
                .delete(
                    d ->
                        d.tableName(table)
                            .key(Map.of(NAME, s(key.name())))
                            .conditionExpression("#rv = :expected")
                            .expressionAttributeNames(Map.of("#rv", RV))
                            .expressionAttributeValues(Map.of(":expected", expected)))
                .build());
      }
      Map<String, AttributeValue> change = new HashMap<>();
      change.put(KIND, s(key.kind()));
      change.put(RV, n(rv));
      change.put(TYPE, s(type.name()));
      change.put(NS, s(key.namespace()));
      change.put(NAME, s(key.name()));
      change.put(BODY, s(Json.write(stored)));
      if (previousLabels != null) change.put(PREV, previousLabels);
      change.put(TIME, n(now));
      change.put(TTL, n(ttl));
      items.add(
          TransactWriteItem.builder()
              .put(p -> p.tableName(access.changesTable(key.kind())).item(change))
              .build());
      results.add(stored);
    }

    try {
      client.transactWriteItems(b -> b.transactItems(items));
      for (String kind : kinds) knownCounters.merge(kind, next.get(kind), Math::max);
      for (int i = 0; i < writes.size(); i++) {
        Resource r = results.get(i);
        if (writes.get(i) instanceof Write.Delete) {
          seen.remove(r.key());
        } else {
          seen.put(r.key(), new Seen(r.resourceVersion(), resourceItem(r).get(LABELS)));
        }
      }
      return results;
    } catch (TransactionCanceledException e) {
      List<CancellationReason> reasons =
          e.hasCancellationReasons() ? e.cancellationReasons() : List.of();
      int k = 0;
      for (String kind : kinds) {
        CancellationReason r = k < reasons.size() ? reasons.get(k) : null;
        k++;
        if (r == null || !"ConditionalCheckFailed".equals(r.code())) continue;
        AttributeValue actual = r.hasItem() ? r.item().get(LAST) : null;
        if (actual != null) {
          knownCounters.put(kind, Long.parseLong(actual.n()));
        } else {
          knownCounters.remove(kind);
        }
      }
      for (int i = 0; i < writes.size(); i++) {
        String code = reasonCode(reasons, resourceItem[i]);
        if (!"ConditionalCheckFailed".equals(code)) continue;
        Write w = writes.get(i);
        if (w instanceof Write.Create) throw StoreException.alreadyExists(w.key());
        if (w instanceof Write.Delete d && d.expectedResourceVersion() == null) return null;
        // The item changed or vanished since we read it.
        seen.remove(w.key());
        if (access.readItem(w.key()) == null) throw StoreException.notFound(w.key());
        throw StoreException.conflict(w.key());
      }
      for (CancellationReason r : reasons) {
        if ("ValidationError".equals(r.code())) {
          throw StoreException.invalid(
              "dynamodb:TransactWriteItems rejected the write: "
                  + DynamoErrors.oneLine(r.message()));
        }
      }
      // A lost race for a counter (ConditionalCheckFailed there), a concurrent transaction on the
      // same item (TransactionConflict) or throttling: all retried from fresh reads.
      return null;
    } catch (ResourceNotFoundException e) {
      throw new DynamoAccess.MissingTable(
          String.join(", ", tablesOf(writes)), "TransactWriteItems", e);
    } catch (SdkException e) {
      throw DynamoErrors.translate("TransactWriteItems", String.join(", ", tablesOf(writes)), e);
    }
  }

  private static String reasonCode(List<CancellationReason> reasons, int index) {
    return index < reasons.size() ? reasons.get(index).code() : null;
  }

  private Set<String> tablesOf(List<Write> writes) {
    Set<String> names = new LinkedHashSet<>();
    for (Write w : writes) {
      names.add(access.resourceTable(w.key().kind(), w.key().namespace()));
      names.add(access.changesTable(w.key().kind()));
    }
    return names;
  }
}
