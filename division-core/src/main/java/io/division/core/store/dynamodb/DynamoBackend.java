package io.division.core.store.dynamodb;

import static io.division.core.store.dynamodb.DynamoItems.*;

import io.division.core.model.Resource;
import io.division.core.model.ResourceKey;
import io.division.core.store.Change;
import io.division.core.store.ListQuery;
import io.division.core.store.LogLine;
import io.division.core.store.ResourceList;
import io.division.core.store.StoreBackend;
import io.division.core.store.StoreException;
import io.division.core.store.StoredObjects;
import io.division.core.store.Watch;
import io.division.core.store.WatchQuery;
import io.division.core.store.Write;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

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
  private final DynamoAccess access;
  private final DynamoWriter writer;
  private final DynamoChangeLog changeLog;
  private final DynamoLogStreams logs;

  private DynamoBackend(DynamoSettings settings, DynamoDbClient client) {
    this.access = new DynamoAccess(settings, client);
    this.changeLog = new DynamoChangeLog(access, this);
    this.writer = new DynamoWriter(access, changeLog::bump);
    this.logs = new DynamoLogStreams(access, changeLog::bump);
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

  /**
   * What this handle's watches have read so far: the counter GetItems (an idle poll is one), the
   * change-table Query pages (polls that found news), and the read request units DynamoDB reported
   * for them (ReturnConsumedCapacity TOTAL).
   *
   * @param unreported calls for which DynamoDB reported no consumed capacity
   */
  public record WatchReads(
      long counterReads, long changeQueries, double readUnits, long unreported) {}

  /** The reads this handle's watches have made since it was opened; see {@link WatchReads}. */
  public WatchReads watchReads() {
    return changeLog.reads();
  }

  public DynamoSettings settings() {
    return access.settings;
  }

  @Override
  public String describe() {
    return access.settings.toUrl();
  }

  @Override
  public Optional<Resource> get(ResourceKey key) {
    Map<String, AttributeValue> item = access.readItem(key);
    if (item == null) return Optional.empty();
    writer.remember(key, item);
    return Optional.of(StoredObjects.parse(key, text(item.get(BODY))));
  }

  /**
   * Reads the kind's counter first, then scans: every change after that version reaches a watch
   * from it, so list-then-watch has no gap. A write racing the scan may show in both the list and
   * the watch (at the same, newer version); a consumer applying events sees no difference.
   */
  @Override
  public ResourceList list(ListQuery query) {
    DynamoAccess.Counter counter = access.counter(query.kind());
    Set<String> namespaces =
        query.namespace() != null ? Set.of(query.namespace()) : new TreeSet<>(counter.namespaces());
    List<Resource> items = new ArrayList<>();
    List<ResourceList.Damaged> damaged = new ArrayList<>();
    boolean filter = !query.selector().isEverything();
    for (String namespace : namespaces) {
      String table = access.resourceTable(query.kind(), namespace);
      List<Resource> inTable = new ArrayList<>();
      Map<String, AttributeValue> start = null;
      try {
        do {
          Map<String, AttributeValue> from = start;
          ScanResponse page =
              access.call(
                  "Scan",
                  table,
                  () ->
                      access.client.scan(
                          b -> b.tableName(table).consistentRead(true).exclusiveStartKey(from)));
          for (Map<String, AttributeValue> item : page.items()) {
            ResourceKey key = new ResourceKey(query.kind(), namespace, text(item.get(NAME)));
            try {
              // The labels attribute is small: parse it first and the body only for a match.
              if (filter && !query.selector().matches(labels(item.get(LABELS)))) continue;
              inTable.add(StoredObjects.parse(key, text(item.get(BODY))));
            } catch (StoreException e) {
              damaged.add(new ResourceList.Damaged(key, e.getMessage()));
            }
          }
          start =
              page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
                  ? page.lastEvaluatedKey()
                  : null;
        } while (start != null);
      } catch (DynamoAccess.MissingTable e) {
        continue; // nothing was ever written there
      }
      inTable.sort(Comparator.comparing(Resource::name));
      items.addAll(inTable);
    }
    return new ResourceList(items, Long.toString(counter.last()), damaged);
  }

  @Override
  public List<Resource> write(List<Write> writes) {
    return writer.write(writes);
  }

  @Override
  public Watch watch(WatchQuery query) {
    return changeLog.watch(query);
  }

  /** The changes of a kind after a version, as a watch reads them. */
  List<Change> changesAfter(String kind, long after, int limit) {
    return changeLog.changesAfter(kind, after, limit);
  }

  @Override
  public long appendLog(ResourceKey key, List<String> lines) {
    return logs.appendLog(key, lines);
  }

  @Override
  public List<LogLine> readLog(ResourceKey key, long afterSeq, int limit) {
    return logs.readLog(key, afterSeq, limit);
  }

  /**
   * DynamoDB has no push to a client, so the mark moves only for writes made through this handle;
   * {@link #awaitChange} returns early for those and otherwise after the poll interval, which
   * bounds how late a watcher or log follower sees another process's write.
   */
  @Override
  public long changeMark() {
    return changeLog.changeMark();
  }

  @Override
  public void awaitChange(long seen, Duration timeout) throws InterruptedException {
    changeLog.awaitChange(seen, timeout);
  }

  @Override
  public void close() {
    changeLog.close();
    access.client.close();
  }
}
