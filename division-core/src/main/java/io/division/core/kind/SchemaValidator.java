package io.division.core.kind;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks objects against a CRD's openAPIV3Schema with a real JSON Schema validator. OpenAPI v3's
 * schema object is close to draft 4; Kubernetes extensions ({@code x-kubernetes-*}, {@code
 * nullable}) are ignored. Metadata is the store's to check, so it is left out, as Kubernetes'
 * structural schemas do.
 */
public final class SchemaValidator {
  private static final Map<JsonNode, JsonSchema> CACHE = new ConcurrentHashMap<>();

  private SchemaValidator() {}

  /**
   * The violations, each as {@code $.spec.replicas: string found, integer expected}; empty if
   * valid.
   */
  public static List<String> validate(JsonNode schema, JsonNode object) {
    JsonSchema compiled =
        CACHE.computeIfAbsent(
            schema, s -> JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(s));
    ObjectNode withoutMetadata = object.deepCopy();
    withoutMetadata.remove("metadata");
    Set<ValidationMessage> messages = compiled.validate(withoutMetadata);
    return messages.stream().map(ValidationMessage::getMessage).sorted().toList();
  }
}
