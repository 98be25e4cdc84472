package io.division.core.store.dynamodb;

import io.division.core.store.StoreException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/**
 * Creates tables on first use: on-demand billing, streams on the resource and change tables (for
 * consumers outside div, such as a Lambda), a TTL attribute on change and log tables. Remembers
 * which tables it has seen ready so that only the first write of a process pays for a check.
 */
final class DynamoTableManager {
  enum Shape {
    RESOURCES,
    CHANGES,
    LOGS
  }

  private static final Duration CREATE_TIMEOUT = Duration.ofMinutes(3);
  private static final Duration CREATE_POLL = Duration.ofMillis(500);

  private final DynamoDbClient client;
  private final boolean mayCreate;
  private final Set<String> ready = ConcurrentHashMap.newKeySet();

  DynamoTableManager(DynamoDbClient client, boolean mayCreate) {
    this.client = client;
    this.mayCreate = mayCreate;
  }

  void ensure(String table, Shape shape) {
    if (ready.contains(table)) return;
    TableDescription description = describe(table);
    if (description == null) {
      if (!mayCreate) {
        throw new StoreException(
            StoreException.Reason.UNAVAILABLE,
            "table "
                + table
                + " does not exist and this store may not create tables"
                + " (dynamodb:CreateTable); create it or allow table creation");
      }
      create(table, shape);
      description = awaitActive(table);
      enableTtl(table, shape);
    } else if (description.tableStatus() != TableStatus.ACTIVE) {
      awaitActive(table);
    }
    ready.add(table);
  }

  private TableDescription describe(String table) {
    try {
      return client.describeTable(b -> b.tableName(table)).table();
    } catch (ResourceNotFoundException e) {
      return null;
    } catch (SdkException e) {
      throw DynamoErrors.translate("DescribeTable", table, e);
    }
  }

  private void create(String table, Shape shape) {
    List<KeySchemaElement> keys;
    List<AttributeDefinition> attributes;
    switch (shape) {
      case RESOURCES -> {
        keys = List.of(key(DynamoItems.NAME, KeyType.HASH));
        attributes = List.of(attr(DynamoItems.NAME, ScalarAttributeType.S));
      }
      case CHANGES -> {
        keys = List.of(key(DynamoItems.KIND, KeyType.HASH), key(DynamoItems.RV, KeyType.RANGE));
        attributes =
            List.of(
                attr(DynamoItems.KIND, ScalarAttributeType.S),
                attr(DynamoItems.RV, ScalarAttributeType.N));
      }
      default -> {
        keys = List.of(key(DynamoItems.LOG_KEY, KeyType.HASH), key(DynamoItems.SEQ, KeyType.RANGE));
        attributes =
            List.of(
                attr(DynamoItems.LOG_KEY, ScalarAttributeType.S),
                attr(DynamoItems.SEQ, ScalarAttributeType.N));
      }
    }
    boolean streams = shape != Shape.LOGS;
    try {
      client.createTable(
          b -> {
            b.tableName(table)
                .keySchema(keys)
                .attributeDefinitions(attributes)
                .billingMode(BillingMode.PAY_PER_REQUEST);
            if (streams) {
              b.streamSpecification(
                  s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_AND_OLD_IMAGES));
            }
          });
    } catch (ResourceInUseException e) {
      // Another process is creating it at the same moment: wait for it like for our own.
    } catch (SdkException e) {
      throw DynamoErrors.translate("CreateTable", table, e);
    }
  }

  private TableDescription awaitActive(String table) {
    long deadline = System.nanoTime() + CREATE_TIMEOUT.toNanos();
    while (true) {
      TableDescription d = describe(table);
      if (d != null && d.tableStatus() == TableStatus.ACTIVE) return d;
      if (System.nanoTime() > deadline) {
        throw StoreException.unavailable(
            "table "
                + table
                + " is not ACTIVE after "
                + CREATE_TIMEOUT.toMinutes()
                + " minutes (dynamodb:DescribeTable)",
            null);
      }
      Backoff.sleep(CREATE_POLL);
    }
  }

  private void enableTtl(String table, Shape shape) {
    if (shape == Shape.RESOURCES) return;
    try {
      client.updateTimeToLive(
          b ->
              b.tableName(table)
                  .timeToLiveSpecification(t -> t.enabled(true).attributeName(DynamoItems.TTL)));
    } catch (SdkException e) {
      String message = String.valueOf(e.getMessage());
      // A concurrent creator enabled it first: that is the state we want.
      if (message.contains("already enabled")) return;
      throw DynamoErrors.translate("UpdateTimeToLive", table, e);
    }
  }

  private static KeySchemaElement key(String name, KeyType type) {
    return KeySchemaElement.builder().attributeName(name).keyType(type).build();
  }

  private static AttributeDefinition attr(String name, ScalarAttributeType type) {
    return AttributeDefinition.builder().attributeName(name).attributeType(type).build();
  }
}
