package io.division.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.division.core.DivisionException;
import java.util.Objects;

/**
 * One stored object: Kubernetes-shaped, with free-form {@code spec} and {@code status}. Treat the
 * JSON nodes as read-only; the {@code with*} methods return modified copies.
 */
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

  /**
   * Reads a resource from JSON. Mapped by hand rather than by Jackson's bean introspection, which
   * costs a CLI call ~150 ms of start-up for records.
   */
  public static Resource fromJson(JsonNode node) {
    if (node == null || !node.isObject())
      throw DivisionException.invalid("a resource must be a JSON object");
    JsonNode meta = node.path("metadata");
    if (!meta.isMissingNode() && !meta.isObject())
      throw DivisionException.invalid("metadata must be an object");
    ObjectMeta metadata =
        ObjectMeta.builder()
            .name(text(meta, "metadata.", "name"))
            .namespace(text(meta, "metadata.", "namespace"))
            .labels(stringMap(meta, "labels"))
            .annotations(stringMap(meta, "annotations"))
            .uid(text(meta, "metadata.", "uid"))
            .resourceVersion(text(meta, "metadata.", "resourceVersion"))
            .generation(meta.path("generation").isNumber() ? meta.get("generation").asLong() : null)
            .creationTimestamp(text(meta, "metadata.", "creationTimestamp"))
            .updateTimestamp(text(meta, "metadata.", "updateTimestamp"))
            .build();
    return new Resource(
        text(node, "", "apiVersion"),
        text(node, "", "kind"),
        metadata,
        node.get("spec"),
        node.get("status"));
  }

  private static String text(JsonNode parent, String prefix, String field) {
    JsonNode v = parent.get(field);
    if (v == null || v.isNull()) return null;
    if (!v.isTextual()) throw notAString(prefix + field, v);
    return v.asText();
  }

  /**
   * Kubernetes refuses a number or boolean where a string belongs instead of turning it into one:
   * YAML reads {@code name: 010} as 8 and {@code version: 1.10} as 1.1, and a silent conversion
   * would store a name or label nobody wrote.
   */
  private static DivisionException notAString(String where, JsonNode v) {
    if (v.isNull()) return DivisionException.invalid(where + " must be a string, but is null");
    String found =
        v.isNumber()
            ? "the number " + v.asText()
            : v.isBoolean() ? "the boolean " + v.asText() : v.isArray() ? "a list" : "an object";
    return DivisionException.invalid(
        where
            + " must be a string, but "
            + (v.isValueNode()
                ? "is " + found + " (in YAML, put the value in quotes)"
                : "is " + found));
  }

  private static java.util.Map<String, String> stringMap(JsonNode parent, String field) {
    JsonNode v = parent.get(field);
    if (v == null || v.isNull()) return null;
    if (!v.isObject())
      throw DivisionException.invalid("metadata." + field + " must be a map of strings");
    java.util.Map<String, String> out = new java.util.TreeMap<>();
    for (var e : v.properties()) {
      if (!e.getValue().isTextual()) {
        throw notAString(
            "metadata." + field + "." + Messages.escapeControls(e.getKey()), e.getValue());
      }
      out.put(e.getKey(), e.getValue().asText());
    }
    return out;
  }

  public static Resource fromJson(String json) {
    return fromJson(Json.parse(json));
  }

  public ResourceKey key() {
    return new ResourceKey(kind, metadata.namespace(), metadata.name());
  }

  public String name() {
    return metadata.name();
  }

  public String namespace() {
    return metadata.namespace();
  }

  public String resourceVersion() {
    return metadata.resourceVersion();
  }

  /**
   * The Kubernetes layout, field order included; also mapped by hand for start-up's sake. The
   * result shares {@code spec} and {@code status} with this resource: deep-copy it before changing.
   */
  public ObjectNode toJson() {
    ObjectNode o = Json.object();
    if (apiVersion != null) o.put("apiVersion", apiVersion);
    if (kind != null) o.put("kind", kind);
    ObjectNode m = o.putObject("metadata");
    putIfSet(m, "name", metadata.name());
    putIfSet(m, "namespace", metadata.namespace());
    if (!metadata.labels().isEmpty()) metadata.labels().forEach(m.putObject("labels")::put);
    if (!metadata.annotations().isEmpty())
      metadata.annotations().forEach(m.putObject("annotations")::put);
    putIfSet(m, "uid", metadata.uid());
    putIfSet(m, "resourceVersion", metadata.resourceVersion());
    if (metadata.generation() != null) m.put("generation", metadata.generation());
    putIfSet(m, "creationTimestamp", metadata.creationTimestamp());
    putIfSet(m, "updateTimestamp", metadata.updateTimestamp());
    if (spec != null) o.set("spec", spec);
    if (status != null) o.set("status", status);
    return o;
  }

  private static void putIfSet(ObjectNode o, String field, String value) {
    if (value != null && !value.isEmpty()) o.put(field, value);
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
