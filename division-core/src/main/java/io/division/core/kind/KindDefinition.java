package io.division.core.kind;

import com.fasterxml.jackson.databind.JsonNode;
import io.division.core.DivisionException;
import io.division.core.model.Resource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A kind the store knows, as a CustomResourceDefinition declares it: names kubectl-style, scope,
 * table columns and an optional OpenAPI v3 schema that applied objects must satisfy.
 */
public record KindDefinition(
    String kind,
    String singular,
    String plural,
    List<String> shortNames,
    Scope scope,
    List<PrinterColumn> printerColumns,
    JsonNode schema) {

  public static final String CRD_KIND = "CustomResourceDefinition";

  public KindDefinition {
    if (kind == null || kind.isBlank())
      throw DivisionException.invalid("spec.names.kind is required");
    if (!kind.matches("[A-Za-z][A-Za-z0-9]*")) {
      throw DivisionException.invalid(
          "spec.names.kind \"" + kind + "\" must be alphanumeric and start with a letter");
    }
    singular =
        blankToNull(singular) == null
            ? kind.toLowerCase(Locale.ROOT)
            : singular.toLowerCase(Locale.ROOT);
    plural =
        blankToNull(plural) == null
            ? pluralize(kind.toLowerCase(Locale.ROOT))
            : plural.toLowerCase(Locale.ROOT);
    shortNames =
        shortNames == null
            ? List.of()
            : shortNames.stream().map(s -> s.toLowerCase(Locale.ROOT)).toList();
    scope = scope == null ? Scope.NAMESPACED : scope;
    printerColumns = printerColumns == null ? List.of() : List.copyOf(printerColumns);
  }

  public boolean namespaced() {
    return scope == Scope.NAMESPACED;
  }

  /**
   * Whether {@code name} names this kind: its kind, singular, plural or a short name, in any case.
   */
  public boolean isNamed(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return n.equals(kind.toLowerCase(Locale.ROOT))
        || n.equals(singular)
        || n.equals(plural)
        || shortNames.contains(n);
  }

  /**
   * Reads a CRD resource. Accepts the v1 layout ({@code spec.versions[].schema.openAPIV3Schema},
   * per-version printer columns) and the older flat one ({@code spec.validation}, top-level {@code
   * additionalPrinterColumns}), since the original project's examples use the latter.
   */
  public static KindDefinition fromCrd(Resource crd) {
    JsonNode spec = crd.spec();
    if (spec == null || !spec.path("names").isObject()) {
      throw DivisionException.invalid("spec.names is required in a CustomResourceDefinition");
    }
    JsonNode names = spec.get("names");
    List<String> shortNames = new ArrayList<>();
    names.path("shortNames").forEach(n -> shortNames.add(n.asText()));
    JsonNode version = spec.path("versions").path(0);
    JsonNode columnsNode =
        spec.has("additionalPrinterColumns")
            ? spec.get("additionalPrinterColumns")
            : version.path("additionalPrinterColumns");
    List<PrinterColumn> columns = new ArrayList<>();
    for (JsonNode c : columnsNode) {
      String path =
          c.has("jsonPath") ? c.path("jsonPath").asText(null) : c.path("JSONPath").asText(null);
      columns.add(
          new PrinterColumn(
              c.path("name").asText(null),
              c.path("type").asText(null),
              path,
              c.path("priority").asInt(0)));
    }
    JsonNode schema = null;
    for (String path :
        List.of(
            "openAPIV3Schema",
            "validation.openAPIV3Schema",
            "versions[0].schema.openAPIV3Schema")) {
      JsonNode candidate =
          switch (path) {
            case "openAPIV3Schema" -> spec.path("openAPIV3Schema");
            case "validation.openAPIV3Schema" -> spec.path("validation").path("openAPIV3Schema");
            default -> version.path("schema").path("openAPIV3Schema");
          };
      if (candidate.isMissingNode() || candidate.isNull()) continue;
      if (!candidate.isObject()) {
        throw DivisionException.invalid("spec." + path + " must be an object (a schema)");
      }
      List<String> problems = SchemaValidator.checkSchema(candidate);
      if (!problems.isEmpty()) {
        throw DivisionException.invalid(
            "spec." + path + " is not a valid schema: " + String.join("; ", problems));
      }
      if (schema == null) schema = candidate;
    }
    return new KindDefinition(
        names.path("kind").asText(null),
        names.path("singular").asText(null),
        names.path("plural").asText(null),
        shortNames,
        Scope.parse(spec.path("scope").asText(null)),
        columns,
        schema);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  /** English plural the way Kubernetes' code generators derive it. */
  static String pluralize(String singular) {
    if (singular.endsWith("s")
        || singular.endsWith("x")
        || singular.endsWith("z")
        || singular.endsWith("ch")
        || singular.endsWith("sh")) {
      return singular + "es";
    }
    if (singular.endsWith("y")
        && singular.length() > 1
        && "aeiou".indexOf(singular.charAt(singular.length() - 2)) < 0) {
      return singular.substring(0, singular.length() - 1) + "ies";
    }
    return singular + "s";
  }
}
