package io.division.core.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/** RFC 7386 JSON merge patch, as {@code kubectl patch --type merge} applies it. */
final class JsonMergePatch {
  private JsonMergePatch() {}

  static void apply(ObjectNode target, JsonNode patch) {
    for (Map.Entry<String, JsonNode> field : patch.properties()) {
      JsonNode value = field.getValue();
      if (value.isNull()) {
        target.remove(field.getKey());
      } else if (value.isObject()) {
        JsonNode existing = target.get(field.getKey());
        ObjectNode child =
            existing != null && existing.isObject()
                ? (ObjectNode) existing
                : target.putObject(field.getKey());
        apply(child, value);
      } else {
        target.set(field.getKey(), value.deepCopy());
      }
    }
  }
}
