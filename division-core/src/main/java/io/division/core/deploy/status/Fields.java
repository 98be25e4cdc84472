package io.division.core.deploy.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.division.core.DivisionException;
import io.division.core.model.Resource;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the typed fields of one resource's spec or status. Anyone can write the store, so a value
 * of the wrong type is reported as INVALID naming the resource and the field, never a parse crash
 * and never a silent default.
 */
final class Fields {
  private final JsonNode node;
  private final String resource;
  private final String section;

  private Fields(JsonNode node, String resource, String section) {
    this.node = node;
    this.resource = resource;
    this.section = section;
  }

  static Fields spec(Resource r) {
    return of(r, r.spec(), "spec");
  }

  static Fields status(Resource r) {
    return of(r, r.status(), "status");
  }

  private static Fields of(Resource r, JsonNode node, String section) {
    String where = r.key() + (r.namespace().isEmpty() ? "" : " in " + r.namespace());
    if (node != null && !node.isObject())
      throw new DivisionException(
          DivisionException.Reason.INVALID,
          where + ": " + section + " must be an object",
          r.key().toString());
    return new Fields(node, where, section);
  }

  /** The fields of an object nested in this one (an entry of a list), reported under its path. */
  Fields nested(JsonNode child, String path) {
    if (!child.isObject()) throw invalid(path, "must be an object");
    return new Fields(child, resource, section + "." + path);
  }

  boolean present() {
    return node != null;
  }

  /** A value the record itself refused (a ref, a name): reported with the resource it came from. */
  DivisionException invalid(DivisionException refused) {
    return new DivisionException(
        DivisionException.Reason.INVALID,
        resource + ": " + section + "." + refused.getMessage(),
        resource);
  }

  DivisionException invalid(String field, String problem) {
    return new DivisionException(
        DivisionException.Reason.INVALID,
        resource + ": " + section + "." + field + " " + problem,
        resource);
  }

  private JsonNode get(String field) {
    JsonNode v = node == null ? null : node.get(field);
    return v == null || v.isNull() ? null : v;
  }

  String text(String field) {
    JsonNode v = get(field);
    if (v == null) return null;
    if (!v.isTextual()) throw invalid(field, "must be a string, not " + v);
    return v.asText();
  }

  String requiredText(String field) {
    String v = text(field);
    if (v == null || v.isBlank()) throw invalid(field, "is required");
    return v;
  }

  Integer integer(String field) {
    JsonNode v = get(field);
    if (v == null) return null;
    if (!v.canConvertToInt() || !v.isIntegralNumber())
      throw invalid(field, "must be a whole number, not " + v);
    return v.asInt();
  }

  int positive(String field, int orElse) {
    Integer v = integer(field);
    if (v == null) return orElse;
    if (v < 1) throw invalid(field, "must be at least 1, not " + v);
    return v;
  }

  Long whole(String field) {
    JsonNode v = get(field);
    if (v == null) return null;
    if (!v.isIntegralNumber() || !v.canConvertToLong())
      throw invalid(field, "must be a whole number, not " + v);
    return v.asLong();
  }

  boolean bool(String field) {
    JsonNode v = get(field);
    if (v == null) return false;
    if (!v.isBoolean()) throw invalid(field, "must be true or false, not " + v);
    return v.asBoolean();
  }

  Instant instant(String field) {
    String v = text(field);
    if (v == null) return null;
    try {
      return Instant.parse(v);
    } catch (DateTimeParseException e) {
      throw invalid(field, "must be a timestamp such as 2026-01-31T12:00:00Z, not \"" + v + "\"");
    }
  }

  List<String> texts(String field) {
    JsonNode v = get(field);
    if (v == null) return List.of();
    if (!v.isArray()) throw invalid(field, "must be a list of strings, not " + v);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < v.size(); i++) {
      if (!v.get(i).isTextual())
        throw invalid(field + "[" + i + "]", "must be a string, not " + v.get(i));
      out.add(v.get(i).asText());
    }
    return out;
  }

  JsonNode array(String field) {
    JsonNode v = get(field);
    if (v == null) return null;
    if (!v.isArray()) throw invalid(field, "must be a list, not " + v);
    return v;
  }

  static void put(ObjectNode o, String field, String value) {
    if (value != null) o.put(field, value);
  }

  static void put(ObjectNode o, String field, Instant value) {
    if (value != null) o.put(field, value.toString());
  }
}
