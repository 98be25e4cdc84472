package io.division.core.kind;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
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

  /** The JSON Schema draft 4 meta-schema, bundled with the validator (no network). */
  private static final String DRAFT4_META_SCHEMA = "http://json-schema.org/draft-04/schema#";

  private static volatile JsonSchema metaSchema;

  private SchemaValidator() {}

  /**
   * What is wrong with a CRD's openAPIV3Schema as a schema: checked against the JSON Schema draft 4
   * meta-schema (a misspelt type, {@code properties} that is not a map, {@code required: []}), each
   * problem as {@code $.properties.spec.type: ...}; empty if it is a schema.
   */
  public static List<String> checkSchema(JsonNode schema) {
    JsonSchema meta = metaSchema;
    if (meta == null) {
      meta =
          JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4)
              .getSchema(SchemaLocation.of(DRAFT4_META_SCHEMA));
      metaSchema = meta;
    }
    return meta.validate(schema).stream().map(ValidationMessage::getMessage).sorted().toList();
  }

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
