package io.division.cli;

import io.division.core.DivisionException;
import io.division.core.jsonpath.JsonPath;
import io.division.core.jsonpath.JsonPathTemplate;
import java.util.ArrayList;
import java.util.List;

/** {@code -o table|wide|json|yaml|name|jsonpath=TEMPLATE|custom-columns=SPEC}, parsed once. */
record OutputFormat(Kind kind, JsonPathTemplate template, List<Column> columns) {
  enum Kind {
    TABLE,
    WIDE,
    JSON,
    YAML,
    NAME,
    JSONPATH,
    CUSTOM_COLUMNS
  }

  /** One {@code HEADER:PATH} of {@code -o custom-columns}. */
  record Column(String header, JsonPath path) {}

  OutputFormat {
    columns = columns == null ? List.of() : List.copyOf(columns);
  }

  OutputFormat(Kind kind, JsonPathTemplate template) {
    this(kind, template, List.of());
  }

  static final OutputFormat TABLE = new OutputFormat(Kind.TABLE, null);

  static OutputFormat parse(String text) {
    if (text == null || text.isBlank()) return TABLE;
    if (text.startsWith("jsonpath=") || text.startsWith("jsonpath-as-text=")) {
      String template = text.substring(text.indexOf('=') + 1);
      if (template.isEmpty())
        throw new CliException(
            ExitCodes.USAGE, "-o jsonpath= needs a template, e.g. -o jsonpath='{.status.phase}'");
      return new OutputFormat(Kind.JSONPATH, JsonPathTemplate.parse(template));
    }
    if (text.startsWith("custom-columns=")) {
      return new OutputFormat(
          Kind.CUSTOM_COLUMNS, null, columns(text.substring("custom-columns=".length())));
    }
    return switch (text) {
      case "table" -> TABLE;
      case "wide" -> new OutputFormat(Kind.WIDE, null);
      case "json" -> new OutputFormat(Kind.JSON, null);
      case "yaml" -> new OutputFormat(Kind.YAML, null);
      case "name" -> new OutputFormat(Kind.NAME, null);
      default ->
          throw new CliException(
              ExitCodes.USAGE,
              "unknown output format \""
                  + text
                  + "\": use table, wide, json, yaml, name, jsonpath=TEMPLATE or"
                  + " custom-columns=HEADER:PATH,...");
    };
  }

  /** kubectl's spec: {@code NAME:.metadata.name,PHASE:.status.phase}; commas inside [] stay. */
  private static List<Column> columns(String spec) {
    if (spec.isBlank())
      throw new CliException(
          ExitCodes.USAGE, "-o custom-columns= needs HEADER:PATH, e.g. NAME:.metadata.name");
    List<Column> out = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i <= spec.length(); i++) {
      char c = i < spec.length() ? spec.charAt(i) : ',';
      if (c == '[') depth++;
      else if (c == ']') depth--;
      else if (c == ',' && depth == 0) {
        String part = spec.substring(start, i).trim();
        int colon = part.indexOf(':');
        if (colon <= 0 || colon == part.length() - 1)
          throw new CliException(
              ExitCodes.USAGE,
              "custom-columns: \"" + part + "\" is not HEADER:PATH (e.g. NAME:.metadata.name)");
        try {
          out.add(
              new Column(part.substring(0, colon), JsonPath.compile(part.substring(colon + 1))));
        } catch (DivisionException e) {
          throw new CliException(ExitCodes.USAGE, "custom-columns: " + e.getMessage());
        }
        start = i + 1;
      }
    }
    return out;
  }

  boolean isTable() {
    return kind == Kind.TABLE || kind == Kind.WIDE || kind == Kind.CUSTOM_COLUMNS;
  }
}
