package io.division.core.store.dynamodb;

import static io.division.core.store.dynamodb.DynamoItems.*;

import io.division.core.DivisionException;
import io.division.core.model.ResourceKey;
import io.division.core.store.StoreException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * What the parts of the DynamoDB store share: the settings, the SDK client, the table manager,
 * table names, and one way to make a call that turns SDK failures into one-line store errors.
 */
final class DynamoAccess {
  final DynamoSettings settings;
  final DynamoDbClient client;
  final DynamoTableManager tables;

  DynamoAccess(DynamoSettings settings, DynamoDbClient client) {
    this.settings = settings;
    this.client = client;
    this.tables = new DynamoTableManager(client, settings.createTables());
  }

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
  <T> T call(String action, String table, Supplier<T> work) {
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

  String resourceTable(String kind, String namespace) {
    try {
      return DynamoTables.resources(settings.tablePrefix(), kind, namespace);
    } catch (IllegalArgumentException | DivisionException e) {
      throw StoreException.invalid(e.getMessage());
    }
  }

  String changesTable(String kind) {
    try {
      return DynamoTables.changes(settings.tablePrefix(), kind);
    } catch (IllegalArgumentException | DivisionException e) {
      throw StoreException.invalid(e.getMessage());
    }
  }

  String logsTable(String kind) {
    try {
      return DynamoTables.logs(settings.tablePrefix(), kind);
    } catch (IllegalArgumentException | DivisionException e) {
      throw StoreException.invalid(e.getMessage());
    }
  }

  Map<String, AttributeValue> readItem(ResourceKey key) {
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

  record Counter(long last, Set<String> namespaces) {}

  /** The kind's version counter and the namespaces it has resources in (consistent read). */
  Counter counter(String kind) {
    return counter(kind, null);
  }

  /**
   * As {@link #counter(String)}; with a {@code meter}, DynamoDB reports the read capacity the call
   * consumed (ReturnConsumedCapacity TOTAL) and the meter gets it.
   */
  Counter counter(String kind, ReadMeter meter) {
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
                              .key(counterKey(kind))
                              .consistentRead(true)
                              .returnConsumedCapacity(capacity(meter))));
      if (meter != null) meter.counterRead(units(response.consumedCapacity()));
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

  /**
   * The items of one partition whose numeric sort key lies in {@code [from, to]}, in order, read
   * strongly consistently and across as many 1 MB pages as it takes.
   */
  List<Map<String, AttributeValue>> queryRange(
      String table,
      String partitionKey,
      AttributeValue partition,
      String sortKey,
      long from,
      long to) {
    return queryRange(table, partitionKey, partition, sortKey, from, to, null);
  }

  /**
   * As the other {@code queryRange}; with a {@code meter}, each page's read capacity goes to it.
   */
  List<Map<String, AttributeValue>> queryRange(
      String table,
      String partitionKey,
      AttributeValue partition,
      String sortKey,
      long from,
      long to,
      ReadMeter meter) {
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
                              .exclusiveStartKey(after)
                              .returnConsumedCapacity(capacity(meter))));
      if (meter != null) meter.changeQuery(units(page.consumedCapacity()));
      items.addAll(page.items());
      start =
          page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
              ? page.lastEvaluatedKey()
              : null;
    } while (start != null);
    return items;
  }

  private static ReturnConsumedCapacity capacity(ReadMeter meter) {
    return meter == null ? null : ReturnConsumedCapacity.TOTAL;
  }

  /** Capacity units DynamoDB reported, or NaN when it reported none. */
  private static double units(ConsumedCapacity consumed) {
    return consumed == null || consumed.capacityUnits() == null
        ? Double.NaN
        : consumed.capacityUnits();
  }
}
