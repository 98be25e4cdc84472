package io.division.core.store.dynamodb;

import com.fasterxml.jackson.core.type.TypeReference;
import io.division.core.DivisionException;
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
import io.division.core.store.Watch;
import io.division.core.store.WatchEvent;
import io.division.core.store.WatchQuery;
import io.division.core.store.Write;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The store in DynamoDB, for teams and many clusters sharing one store without a server. Tables are
 * named by {@link DynamoTables}: one per namespace and kind for resources, one change table and one
 * log table per kind.
 *
 * <p>Versions are per kind. Each kind's change table holds a counter item, and every write batch is
 * one TransactWriteItems that moves the counter from the value it read to the next one (condition:
 * unchanged), writes the resources (conditions: absent for a create, the expected resourceVersion
 * for an update or delete) and puts one change record per write at its new version. Allocating and
 * committing a version is therefore one step: versions of a kind commit in order and without holes,
 * which is what lets a watch read the change table by version with no settle window and tell a
 * trimmed change log (a hole) from a quiet one. See docs/dynamodb.md for the watch design and its
 * cost.
 */
public final class DynamoBackend implements StoreBackend {
  // Attribute names. Short, because DynamoDB bills attribute names as item bytes.
  static final String NAME = "name";
  static final String RV = "rv";
  static final String UID = "uid";
  static final String LABELS = "labels";
  static final String BODY = "body";
  static final String KIND = "kind";
  static final String TYPE = "type";
  static final String NS = "ns";
  static final String PREV = "prev";
  static final String TIME = "time";
  static final String TTL = "ttl";
  static final String LAST = "last";
  static final String NAMESPACES = "namespaces";
  static final String LOG_KEY = "r";
  static final String SEQ = "seq";
  static final String LINE = "line";
  static final String NEXT = "next";
  static final String DONE = "done";

  /** DynamoDB's limit on the items of one transaction. */
  static final int MAX_TRANSACTION_ITEMS = 100;

  private static final TypeReference<Map<String, String>> LABEL_MAP = new TypeReference<>() {};
  private static final int MAX_WRITE_ATTEMPTS = 60;
  private static final int BATCH_WRITE_SIZE = 25;
  private static final Duration LOG_COMMIT_PATIENCE = Duration.ofSeconds(10);

  private final DynamoSettings settings;
  private final DynamoDbClient client;
  private final DynamoTableManager tables;
  private final Object markLock = new Object();
  private long mark;
  private boolean closed;

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

  private DynamoBackend(DynamoSettings settings, DynamoDbClient client) {
    this.settings = settings;
    this.client = client;
    this.tables = new DynamoTableManager(client, settings.createTables());
  }

  /**
   * Opens a handle; makes no call to DynamoDB, so that a CLI command pays only for the calls it
   * needs. Errors (credentials, access, tables) surface on the first call, naming the action.
   */
  public static DynamoBackend open(DynamoSettings settings) {
    return open(settings, DynamoClientOptions.DEFAULTS);
  }

  /** As {@link #open(DynamoSettings)}, with the caller's credentials provider or HTTP client. */
  public static DynamoBackend open(DynamoSettings settings, DynamoClientOptions clientOptions) {
    return new DynamoBackend(settings, DynamoClients.build(settings, clientOptions));
  }

  public DynamoSettings settings() {
    return settings;
  }

  @Override
  public String describe() {
    return settings.toUrl();
  }

  // --- reads ------------------------------------------------------------------------------------

  @Override
  public Optional<Resource> get(ResourceKey key) {
    Map<String, AttributeValue> item = readItem(key);
    if (item == null) return Optional.empty();
    seen.put(key, new Seen(item.get(RV).n(), item.get(LABELS)));
    return Optional.of(Resource.fromJson(item.get(BODY).s()));
  }

  /**
   * Reads the kind's counter first, then scans: every change after that version reaches a watch
   * from it, so list-then-watch has no gap. A write racing the scan may show in both the list and
   * the watch (at the same, newer version); a consumer applying events sees no difference.
   */
  @Override
  public ResourceList list(ListQuery query) {
    Counter counter = counter(query.kind());
    Set<String> namespaces =
        query.namespace() != null ? Set.of(query.namespace()) : new TreeSet<>(counter.namespaces());
    List<Resource> items = new ArrayList<>();
    boolean filter = !query.selector().isEverything();
    for (String namespace : namespaces) {
      String table = resourceTable(query.kind(), namespace);
      List<Resource> inTable = new ArrayList<>();
      Map<String, AttributeValue> start = null;
      try {
        do {
          Map<String, AttributeValue> from = start;
          ScanResponse page =
              call(
                  "Scan",
                  table,
                  () ->
                      client.scan(
                          b -> b.tableName(table).consistentRead(true).exclusiveStartKey(from)));
          for (Map<String, AttributeValue> item : page.items()) {
            // The labels attribute is small: parse it first and the body only for a match.
            if (filter && !query.selector().matches(labels(item.get(LABELS)))) continue;
            inTable.add(Resource.fromJson(item.get(BODY).s()));
          }
          start =
              page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
                  ? page.lastEvaluatedKey()
                  : null;
        } while (start != null);
      } catch (MissingTable e) {
        continue; // nothing was ever written there
      }
      inTable.sort(Comparator.comparing(Resource::name));
      items.addAll(inTable);
    }
    return new ResourceList(items, Long.toString(counter.last()));
  }

  private Map<String, AttributeValue> readItem(ResourceKey key) {
    String table = resourceTable(key.kind(), key.namespace());
    try {
      var response =
          call(
              "GetItem",
              table,
              () ->
                  client.getItem(
                      b ->
                          b.tableName(table)
                              .key(Map.of(NAME, s(key.name())))
                              .consistentRead(true)));
      return response.hasItem() && !response.item().isEmpty() ? response.item() : null;
    } catch (MissingTable e) {
      return null;
    }
  }

  private record Counter(long last, Set<String> namespaces) {}

  /** The kind's version counter and the namespaces it has resources in (consistent read). */
  private Counter counter(String kind) {
    String table = changesTable(kind);
    try {
      var response =
          call(
              "GetItem",
              table,
              () ->
                  client.getItem(
                      b -> b.tableName(table).key(counterKey(kind)).consistentRead(true)));
      if (!response.hasItem() || response.item().isEmpty()) return new Counter(0, Set.of());
      Map<String, AttributeValue> item = response.item();
      AttributeValue ns = item.get(NAMESPACES);
      return new Counter(
          Long.parseLong(item.get(LAST).n()),
          ns == null || !ns.hasSs() ? Set.of() : Set.copyOf(ns.ss()));
    } catch (MissingTable e) {
      return new Counter(0, Set.of());
    }
  }

  // --- writes -----------------------------------------------------------------------------------

  @Override
  public List<Resource> write(List<Write> writes) {
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
          bump();
          return written;
        }
      } catch (MissingTable e) {
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
        tables.ensure(changesTable(kind), DynamoTableManager.Shape.CHANGES);
        tables.ensure(logsTable(kind), DynamoTableManager.Shape.LOGS);
      }
      tables.ensure(resourceTable(kind, w.key().namespace()), DynamoTableManager.Shape.RESOURCES);
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
      Map<String, AttributeValue> item = readItem(w.key());
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
      last.put(kind, known != null ? known : counter(kind).last());
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
                      u.tableName(changesTable(kind))
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
      String table = resourceTable(key.kind(), key.namespace());
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
        stored = withVersion(Resource.fromJson(before.get(BODY).s()), rv);
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
              .put(p -> p.tableName(changesTable(key.kind())).item(change))
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
        if (readItem(w.key()) == null) throw StoreException.notFound(w.key());
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
      throw new MissingTable(String.join(", ", tablesOf(writes)), "TransactWriteItems", e);
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
      names.add(resourceTable(w.key().kind(), w.key().namespace()));
      names.add(changesTable(w.key().kind()));
    }
    return names;
  }

  private static Map<String, AttributeValue> resourceItem(Resource r) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put(NAME, s(r.name()));
    item.put(RV, n(Long.parseLong(r.resourceVersion())));
    if (r.metadata().uid() != null) item.put(UID, s(r.metadata().uid()));
    Map<String, String> labels = r.metadata().labels();
    item.put(LABELS, s(Json.write(labels == null ? Map.of() : labels)));
    item.put(BODY, s(Json.write(r)));
    return item;
  }

  private static Resource withVersion(Resource r, long rv) {
    return r.withMetadata(r.metadata().withResourceVersion(Long.toString(rv)));
  }

  // --- watch ------------------------------------------------------------------------------------

  @Override
  public Watch watch(WatchQuery query) {
    String kind = query.kind();
    long last = counter(kind).last();
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
    return new PollingWatch(this, (after, limit) -> changesAfter(kind, after, limit), query, start);
  }

  private Map<String, AttributeValue> changeRecord(String kind, long rv) {
    String table = changesTable(kind);
    try {
      var response =
          call(
              "GetItem",
              table,
              () ->
                  client.getItem(
                      b ->
                          b.tableName(table)
                              .key(Map.of(KIND, s(kind), RV, n(rv)))
                              .consistentRead(true)));
      return response.hasItem() && !response.item().isEmpty() ? response.item() : null;
    } catch (MissingTable e) {
      return null;
    }
  }

  /**
   * The changes of a kind after {@code after}, oldest first. The counter is read first with a
   * strongly consistent GetItem, which is serializable with the write transactions: every version
   * up to it is committed, so a strongly consistent query up to it sees all of them, and a hole can
   * only be a record that TTL removed (GONE). Records of a transaction still committing lie above
   * the counter and wait for the next poll. An idle watcher costs one GetItem per poll.
   */
  List<Change> changesAfter(String kind, long after, int limit) {
    long last = counter(kind).last();
    if (last <= after) return List.of();
    long upTo = Math.min(last, after + limit);
    String table = changesTable(kind);
    List<Change> out = new ArrayList<>();
    long expected = after + 1;
    try {
      for (Map<String, AttributeValue> item :
          queryRange(table, KIND, s(kind), RV, after + 1, upTo)) {
        long rv = Long.parseLong(item.get(RV).n());
        if (rv != expected) throw StoreException.gone(Long.toString(after));
        expected++;
        AttributeValue prev = item.get(PREV);
        out.add(
            new Change(
                rv,
                WatchEvent.Type.valueOf(item.get(TYPE).s()),
                Resource.fromJson(item.get(BODY).s()),
                prev == null ? null : labels(prev)));
      }
    } catch (MissingTable e) {
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

  // --- logs -------------------------------------------------------------------------------------

  /**
   * Log lines live under the resource's uid, so a resource deleted and created again starts with an
   * empty log; lines of deleted resources expire through the TTL attribute. The marker item (seq 0)
   * allocates sequence numbers ({@code next}) and publishes them ({@code done}) only after the
   * lines are written, so a follower never skips a line still being written.
   */
  @Override
  public long appendLog(ResourceKey key, List<String> lines) {
    if (lines.isEmpty()) return 0;
    Map<String, AttributeValue> resource = readItem(key);
    if (resource == null) throw StoreException.notFound(key);
    String table = logsTable(key.kind());
    String partition = logPartition(key, resource);
    long last;
    try {
      last = reserve(table, partition, lines.size());
    } catch (MissingTable e) {
      tables.ensure(table, DynamoTableManager.Shape.LOGS);
      last = reserve(table, partition, lines.size());
    }
    long first = last - lines.size() + 1;
    long now = System.currentTimeMillis();
    long ttl = now / 1000 + settings.logRetention().toSeconds();
    List<WriteRequest> requests = new ArrayList<>(lines.size());
    for (int i = 0; i < lines.size(); i++) {
      Map<String, AttributeValue> item = new HashMap<>();
      item.put(LOG_KEY, s(partition));
      item.put(SEQ, n(first + i));
      item.put(LINE, s(lines.get(i)));
      item.put(TIME, n(now));
      item.put(TTL, n(ttl));
      requests.add(
          WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build());
    }
    for (int i = 0; i < requests.size(); i += BATCH_WRITE_SIZE) {
      batchWrite(table, requests.subList(i, Math.min(requests.size(), i + BATCH_WRITE_SIZE)));
    }
    publish(table, partition, first, last);
    bump();
    return last;
  }

  private long reserve(String table, String partition, int count) {
    var response =
        call(
            "UpdateItem",
            table,
            () ->
                client.updateItem(
                    b ->
                        b.tableName(table)
                            .key(Map.of(LOG_KEY, s(partition), SEQ, n(0)))
                            .updateExpression("ADD #next :n")
                            .expressionAttributeNames(Map.of("#next", NEXT))
                            .expressionAttributeValues(Map.of(":n", n(count)))
                            .returnValues(ReturnValue.UPDATED_NEW)));
    return Long.parseLong(response.attributes().get(NEXT).n());
  }

  /** BatchWriteItem, retrying the items DynamoDB left unprocessed (throttling) with backoff. */
  private void batchWrite(String table, List<WriteRequest> chunk) {
    Map<String, List<WriteRequest>> pending = Map.of(table, List.copyOf(chunk));
    Backoff backoff = new Backoff(Duration.ofMillis(50), Duration.ofSeconds(5));
    while (!pending.isEmpty()) {
      Map<String, List<WriteRequest>> request = pending;
      BatchWriteItemResponse response =
          call("BatchWriteItem", table, () -> client.batchWriteItem(b -> b.requestItems(request)));
      pending = response.hasUnprocessedItems() ? response.unprocessedItems() : Map.of();
      if (!pending.isEmpty()) {
        if (backoff.attempts() >= 12) {
          throw StoreException.unavailable(
              "dynamodb:BatchWriteItem on table "
                  + table
                  + ": items still unprocessed after 12 retries (throttled)",
              null);
        }
        backoff.pause();
      }
    }
  }

  /**
   * Moves {@code done} from {@code first - 1} to {@code last}: appenders publish in the order they
   * reserved. One whose predecessor died without publishing waits a bounded time and then publishes
   * past it (the dead appender's lines may be missing; the order still holds).
   */
  private void publish(String table, String partition, long first, long last) {
    Map<String, AttributeValue> key = Map.of(LOG_KEY, s(partition), SEQ, n(0));
    long deadline = System.nanoTime() + LOG_COMMIT_PATIENCE.toNanos();
    Backoff backoff = new Backoff(Duration.ofMillis(5), Duration.ofMillis(200));
    while (true) {
      String condition = first == 1 ? "attribute_not_exists(#done)" : "#done = :prev";
      Map<String, AttributeValue> values = new HashMap<>(Map.of(":last", n(last)));
      if (first != 1) values.put(":prev", n(first - 1));
      try {
        call(
            "UpdateItem",
            table,
            () ->
                client.updateItem(
                    b ->
                        b.tableName(table)
                            .key(key)
                            .updateExpression("SET #done = :last")
                            .conditionExpression(condition)
                            .expressionAttributeNames(Map.of("#done", DONE))
                            .expressionAttributeValues(values)));
        return;
      } catch (ConditionalCheckFailedException e) {
        if (System.nanoTime() < deadline) {
          backoff.pause();
          continue;
        }
      }
      try {
        call(
            "UpdateItem",
            table,
            () ->
                client.updateItem(
                    b ->
                        b.tableName(table)
                            .key(key)
                            .updateExpression("SET #done = :last")
                            .conditionExpression("attribute_not_exists(#done) OR #done < :last")
                            .expressionAttributeNames(Map.of("#done", DONE))
                            .expressionAttributeValues(Map.of(":last", n(last)))));
      } catch (ConditionalCheckFailedException e) {
        // Already published past our lines.
      }
      return;
    }
  }

  @Override
  public List<LogLine> readLog(ResourceKey key, long afterSeq, int limit) {
    if (limit <= 0) return List.of();
    Map<String, AttributeValue> resource = readItem(key);
    if (resource == null) return List.of();
    String table = logsTable(key.kind());
    String partition = logPartition(key, resource);
    long done;
    try {
      var marker =
          call(
              "GetItem",
              table,
              () ->
                  client.getItem(
                      b ->
                          b.tableName(table)
                              .key(Map.of(LOG_KEY, s(partition), SEQ, n(0)))
                              .consistentRead(true)));
      AttributeValue d = marker.hasItem() ? marker.item().get(DONE) : null;
      done = d == null ? 0 : Long.parseLong(d.n());
    } catch (MissingTable e) {
      return List.of();
    }
    if (done <= afterSeq) return List.of();
    long upTo = Math.min(done, afterSeq + limit);
    List<LogLine> out = new ArrayList<>();
    for (Map<String, AttributeValue> item :
        queryRange(table, LOG_KEY, s(partition), SEQ, Math.max(1, afterSeq + 1), upTo)) {
      out.add(
          new LogLine(
              Long.parseLong(item.get(SEQ).n()),
              Instant.ofEpochMilli(Long.parseLong(item.get(TIME).n())),
              item.get(LINE).s()));
    }
    return out;
  }

  /**
   * The items of one partition whose numeric sort key lies in {@code [from, to]}, in order, read
   * strongly consistently and across as many 1 MB pages as it takes.
   */
  private List<Map<String, AttributeValue>> queryRange(
      String table,
      String partitionKey,
      AttributeValue partition,
      String sortKey,
      long from,
      long to) {
    List<Map<String, AttributeValue>> items = new ArrayList<>();
    Map<String, AttributeValue> start = null;
    do {
      Map<String, AttributeValue> after = start;
      QueryResponse page =
          call(
              "Query",
              table,
              () ->
                  client.query(
                      b ->
                          b.tableName(table)
                              .consistentRead(true)
                              .keyConditionExpression("#p = :p AND #s BETWEEN :from AND :to")
                              .expressionAttributeNames(Map.of("#p", partitionKey, "#s", sortKey))
                              .expressionAttributeValues(
                                  Map.of(":p", partition, ":from", n(from), ":to", n(to)))
                              .exclusiveStartKey(after)));
      items.addAll(page.items());
      start =
          page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
              ? page.lastEvaluatedKey()
              : null;
    } while (start != null);
    return items;
  }

  private static String logPartition(ResourceKey key, Map<String, AttributeValue> resource) {
    AttributeValue uid = resource.get(UID);
    return key.namespace() + "/" + key.name() + "/" + (uid == null ? "" : uid.s());
  }

  // --- change mark ------------------------------------------------------------------------------

  /**
   * DynamoDB has no push to a client, so the mark moves only for writes made through this handle;
   * {@link #awaitChange} returns early for those and otherwise after the poll interval, which
   * bounds how late a watcher or log follower sees another process's write.
   */
  @Override
  public long changeMark() {
    synchronized (markLock) {
      return mark;
    }
  }

  @Override
  public void awaitChange(long seen, Duration timeout) throws InterruptedException {
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

  private void bump() {
    synchronized (markLock) {
      mark++;
      markLock.notifyAll();
    }
  }

  @Override
  public void close() {
    synchronized (markLock) {
      closed = true;
      markLock.notifyAll();
    }
    client.close();
  }

  // --- plumbing ---------------------------------------------------------------------------------

  /**
   * A table that does not exist: an empty result for readers, a reason to create it for writers.
   */
  static final class MissingTable extends StoreException {
    MissingTable(String table, String action, Throwable cause) {
      super(
          Reason.UNAVAILABLE,
          "table " + table + " does not exist (dynamodb:" + action + " on table " + table + ")",
          cause);
    }
  }

  /**
   * Runs one SDK call and turns its failure into a one-line StoreException naming the action and
   * the table. Condition failures pass through: callers decide what they mean.
   */
  private <T> T call(String action, String table, Supplier<T> work) {
    try {
      return work.get();
    } catch (ConditionalCheckFailedException | TransactionCanceledException e) {
      throw e;
    } catch (ResourceNotFoundException e) {
      throw new MissingTable(table, action, e);
    } catch (SdkException e) {
      throw DynamoErrors.translate(action, table, e);
    }
  }

  private String resourceTable(String kind, String namespace) {
    try {
      return DynamoTables.resources(settings.tablePrefix(), kind, namespace);
    } catch (IllegalArgumentException | DivisionException e) {
      throw StoreException.invalid(e.getMessage());
    }
  }

  private String changesTable(String kind) {
    try {
      return DynamoTables.changes(settings.tablePrefix(), kind);
    } catch (IllegalArgumentException | DivisionException e) {
      throw StoreException.invalid(e.getMessage());
    }
  }

  private String logsTable(String kind) {
    try {
      return DynamoTables.logs(settings.tablePrefix(), kind);
    } catch (IllegalArgumentException | DivisionException e) {
      throw StoreException.invalid(e.getMessage());
    }
  }

  private static Map<String, AttributeValue> counterKey(String kind) {
    return Map.of(KIND, s(kind), RV, n(0));
  }

  private static Map<String, String> labels(AttributeValue json) {
    if (json == null || json.s() == null) return Map.of();
    try {
      return Json.mapper().readValue(json.s(), LABEL_MAP);
    } catch (IOException e) {
      throw new StoreException(
          StoreException.Reason.INTERNAL, "corrupt labels attribute: " + json.s(), e);
    }
  }

  private static AttributeValue s(String value) {
    return AttributeValue.fromS(value);
  }

  private static AttributeValue n(long value) {
    return AttributeValue.fromN(Long.toString(value));
  }
}
