package io.division.core.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * One stored object: Kubernetes-shaped, with free-form {@code spec} and {@code status}. Treat the
 * JSON nodes as read-only; the {@code with*} methods return modified copies.
 */
@JsonPropertyOrder({"apiVersion", "kind", "metadata", "spec", "status"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Resource(
    String apiVersion, String kind, ObjectMeta metadata, JsonNode spec, JsonNode status) {

  public static final String DEFAULT_API_VERSION = "division.io/v1";

  public Resource {
    Objects.requireNonNull(metadata, "metadata");
    if (spec != null && spec.isNull()) spec = null;
    if (status != null && status.isNull()) status = null;
  }

  public static Resource of(String kind, String namespace, String name) {
    return new Resource(null, kind, ObjectMeta.named(name, namespace), null, null);
  }

  public static Resource fromJson(JsonNode node) {
    try {
      return Json.mapper().treeToValue(node, Resource.class);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(e.getOriginalMessage(), e);
    }
  }

  public static Resource fromJson(String json) {
    return fromJson(Json.parse(json));
  }

  @JsonIgnore
  public ResourceKey key() {
    return new ResourceKey(kind, metadata.namespace(), metadata.name());
  }

  @JsonIgnore
  public String name() {
    return metadata.name();
  }

  @JsonIgnore
  public String namespace() {
    return metadata.namespace();
  }

  @JsonIgnore
  public String resourceVersion() {
    return metadata.resourceVersion();
  }

  public ObjectNode toJson() {
    return Json.mapper().valueToTree(this);
  }

  public Resource withMetadata(ObjectMeta meta) {
    return new Resource(apiVersion, kind, meta, spec, status);
  }

  public Resource withKind(String newKind) {
    return new Resource(apiVersion, newKind, metadata, spec, status);
  }

  public Resource withSpec(JsonNode newSpec) {
    return new Resource(apiVersion, kind, metadata, newSpec, status);
  }

  public Resource withStatus(JsonNode newStatus) {
    return new Resource(apiVersion, kind, metadata, spec, newStatus);
  }

  /** A text field under {@code status}, or null: most waits and reconcilers read exactly this. */
  public String statusText(String field) {
    if (status == null) return null;
    JsonNode v = status.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  public String specText(String field) {
    if (spec == null) return null;
    JsonNode v = spec.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
