package io.division.core.store.dynamodb;

import static io.division.core.store.dynamodb.DynamoItems.*;

import io.division.core.model.ResourceKey;
import io.division.core.store.LogLine;
import io.division.core.store.StoreException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The log stream of each resource: lines under the resource's uid in the kind's log table, a marker
 * item allocating and publishing sequence numbers.
 */
final class DynamoLogStreams {
  private static final int BATCH_WRITE_SIZE = 25;
  private static final Duration LOG_COMMIT_PATIENCE = Duration.ofSeconds(10);

  private final DynamoAccess access;
  private final DynamoSettings settings;
  private final DynamoDbClient client;
  private final DynamoTableManager tables;
  private final Runnable onAppend;

  DynamoLogStreams(DynamoAccess access, Runnable onAppend) {
    this.access = access;
    this.settings = access.settings;
    this.client = access.client;
    this.tables = access.tables;
    this.onAppend = onAppend;
  }

  /**
   * Log lines live under the resource's uid, so a resource deleted and created again starts with an
   * empty log; lines of deleted resources expire through the TTL attribute. The marker item (seq 0)
   * allocates sequence numbers ({@code next}) and publishes them ({@code done}) only after the
   * lines are written, so a follower never skips a line still being written.
   */
  long appendLog(ResourceKey key, List<String> lines) {
    if (lines.isEmpty()) return 0;
    Map<String, AttributeValue> resource = access.readItem(key);
    if (resource == null) throw StoreException.notFound(key);
    String table = access.logsTable(key.kind());
    String partition = logPartition(key, resource);
    long last;
    try {
      last = reserve(table, partition, lines.size());
    } catch (DynamoAccess.MissingTable e) {
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
    onAppend.run();
    return last;
  }

  private long reserve(String table, String partition, int count) {
    var response =
        access.call(
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
          access.call(
              "BatchWriteItem", table, () -> client.batchWriteItem(b -> b.requestItems(request)));
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
        setDone(table, key, condition, values);
        return;
      } catch (ConditionalCheckFailedException e) {
        if (System.nanoTime() < deadline) {
          backoff.pause();
          continue;
        }
      }
      try {
        setDone(
            table, key, "attribute_not_exists(#done) OR #done < :last", Map.of(":last", n(last)));
      } catch (ConditionalCheckFailedException e) {
        // Already published past our lines.
      }
      return;
    }
  }

  /** Moves the stream's published mark ({@code :last} in {@code values}) if {@code condition}. */
  private void setDone(
      String table,
      Map<String, AttributeValue> key,
      String condition,
      Map<String, AttributeValue> values) {
    access.call(
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
  }

  List<LogLine> readLog(ResourceKey key, long afterSeq, int limit) {
    if (limit <= 0) return List.of();
    Map<String, AttributeValue> resource = access.readItem(key);
    if (resource == null) return List.of();
    String table = access.logsTable(key.kind());
    String partition = logPartition(key, resource);
    long done;
    try {
      var marker =
          access.call(
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
    } catch (DynamoAccess.MissingTable e) {
      return List.of();
    }
    if (done <= afterSeq) return List.of();
    long upTo = Math.min(done, afterSeq + limit);
    List<LogLine> out = new ArrayList<>();
    for (Map<String, AttributeValue> item :
        access.queryRange(table, LOG_KEY, s(partition), SEQ, Math.max(1, afterSeq + 1), upTo)) {
      out.add(
          new LogLine(
              Long.parseLong(item.get(SEQ).n()),
              Instant.ofEpochMilli(Long.parseLong(item.get(TIME).n())),
              item.get(LINE).s()));
    }
    return out;
  }

  private static String logPartition(ResourceKey key, Map<String, AttributeValue> resource) {
    AttributeValue uid = resource.get(UID);
    return key.namespace() + "/" + key.name() + "/" + (uid == null ? "" : uid.s());
  }
}
