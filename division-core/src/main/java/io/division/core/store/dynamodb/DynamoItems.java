package io.division.core.store.dynamodb;

import com.fasterxml.jackson.core.type.TypeReference;
import io.division.core.model.Json;
import io.division.core.model.Resource;
import io.division.core.store.StoreException;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * How the DynamoDB store lays out its items: attribute names (short, because DynamoDB bills
 * attribute names as item bytes) and conversions between resources and items.
 */
final class DynamoItems {
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

  private static final TypeReference<Map<String, String>> LABEL_MAP = new TypeReference<>() {};

  private DynamoItems() {}

  static Map<String, AttributeValue> resourceItem(Resource r) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put(NAME, s(r.name()));
    item.put(RV, n(Long.parseLong(r.resourceVersion())));
    if (r.metadata().uid() != null) item.put(UID, s(r.metadata().uid()));
    Map<String, String> labels = r.metadata().labels();
    item.put(LABELS, s(Json.write(labels == null ? Map.of() : labels)));
    item.put(BODY, s(Json.write(r)));
    return item;
  }

  static Resource withVersion(Resource r, long rv) {
    return r.withMetadata(r.metadata().withResourceVersion(Long.toString(rv)));
  }

  static Map<String, AttributeValue> counterKey(String kind) {
    return Map.of(KIND, s(kind), RV, n(0));
  }

  static Map<String, String> labels(AttributeValue json) {
    if (json == null || json.s() == null) return Map.of();
    try {
      return Json.mapper().readValue(json.s(), LABEL_MAP);
    } catch (IOException e) {
      throw new StoreException(
          StoreException.Reason.INTERNAL, "corrupt labels attribute: " + json.s(), e);
    }
  }

  /** The string in an attribute, or null when it is missing or of another type. */
  static String text(AttributeValue value) {
    return value == null ? null : value.s();
  }

  static AttributeValue s(String value) {
    return AttributeValue.fromS(value);
  }

  static AttributeValue n(long value) {
    return AttributeValue.fromN(Long.toString(value));
  }
}
