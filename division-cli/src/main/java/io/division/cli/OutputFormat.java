package io.division.cli;

import io.division.core.jsonpath.JsonPathTemplate;

/** {@code -o table|wide|json|yaml|name|jsonpath=TEMPLATE}, parsed once. */
record OutputFormat(Kind kind, JsonPathTemplate template) {
  enum Kind {
    TABLE,
    WIDE,
    JSON,
    YAML,
    NAME,
    JSONPATH
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
                  + "\": use table, wide, json, yaml, name or jsonpath=TEMPLATE");
    };
  }

  boolean isTable() {
    return kind == Kind.TABLE || kind == Kind.WIDE;
  }
}
