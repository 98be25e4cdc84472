package io.division.core.selector;

import com.fasterxml.jackson.databind.JsonNode;
import io.division.core.DivisionException;
import io.division.core.jsonpath.JsonPath;
import io.division.core.kind.KindDefinition;
import io.division.core.kind.PrinterColumn;
import io.division.core.model.Resource;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * kubectl's {@code --field-selector}: {@code field=value}, {@code field==value}, {@code
 * field!=value}, joined by commas (AND). As in Kubernetes, each kind supports a fixed set of
 * fields, and any other field is an error rather than a filter that silently matches nothing: here
 * {@code metadata.name}, {@code metadata.namespace}, {@code status.phase}, and every field the kind
 * shows as a column (for example {@code spec.cluster} for installs).
 */
public final class FieldSelector {
  public record Requirement(String field, boolean equals, String value) {}

  private static final List<String> COMMON =
      List.of("metadata.name", "metadata.namespace", "status.phase");

  private final List<Requirement> requirements;

  private FieldSelector(List<Requirement> requirements) {
    this.requirements = List.copyOf(requirements);
  }

  public static FieldSelector everything() {
    return new FieldSelector(List.of());
  }

  /** Parses {@code text} for {@code kind}, whose fields it checks. */
  public static FieldSelector parse(String text, KindDefinition kind) {
    if (text == null || text.isBlank()) return everything();
    Set<String> supported = supportedFields(kind);
    List<Requirement> out = new ArrayList<>();
    for (String part : text.split(",")) {
      String p = part.trim();
      int op = p.indexOf("!=");
      boolean equals = op < 0;
      int valueAt;
      if (op >= 0) {
        valueAt = op + 2;
      } else {
        op = p.indexOf('=');
        if (op < 0) throw invalid(text, "\"" + p + "\" has no operator (=, ==, !=)");
        valueAt = p.startsWith("==", op) ? op + 2 : op + 1;
      }
      String field = p.substring(0, op).trim();
      String value = p.substring(valueAt).trim();
      if (field.isEmpty()) throw invalid(text, "\"" + p + "\" has no field");
      if (!supported.contains(field)) {
        throw invalid(
            text,
            "field \""
                + field
                + "\" is not supported for "
                + kind.plural()
                + " (supported: "
                + String.join(", ", supported)
                + ")");
      }
      out.add(new Requirement(field, equals, value));
    }
    return new FieldSelector(out);
  }

  /** The fields {@link #parse} accepts for {@code kind}. */
  public static Set<String> supportedFields(KindDefinition kind) {
    Set<String> fields = new TreeSet<>(COMMON);
    if (!kind.namespaced()) fields.remove("metadata.namespace");
    for (PrinterColumn c : kind.printerColumns()) {
      String path = c.jsonPath().trim();
      if (path.matches("\\.?[A-Za-z0-9_]+(\\.[A-Za-z0-9_]+)+"))
        fields.add(path.startsWith(".") ? path.substring(1) : path);
    }
    return fields;
  }

  public boolean isEverything() {
    return requirements.isEmpty();
  }

  public List<Requirement> requirements() {
    return requirements;
  }

  /** A missing field counts as the empty string, as in Kubernetes ({@code status.phase=}). */
  public boolean matches(Resource resource) {
    if (requirements.isEmpty()) return true;
    JsonNode json = resource.toJson();
    for (Requirement r : requirements) {
      List<JsonNode> found = JsonPath.compile(r.field()).find(json);
      String actual = found.isEmpty() || !found.get(0).isValueNode() ? "" : found.get(0).asText();
      if (actual.equals(r.value()) != r.equals()) return false;
    }
    return true;
  }

  public List<Resource> filter(List<Resource> resources) {
    if (requirements.isEmpty()) return resources;
    return resources.stream().filter(this::matches).toList();
  }

  private static DivisionException invalid(String text, String why) {
    return DivisionException.invalid("invalid field selector \"" + text + "\": " + why);
  }
}
