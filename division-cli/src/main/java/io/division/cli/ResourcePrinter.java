package io.division.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.division.core.deploy.ClusterHealth;
import io.division.core.jsonpath.JsonPath;
import io.division.core.jsonpath.JsonPathTemplate;
import io.division.core.kind.BuiltinKinds;
import io.division.core.kind.KindDefinition;
import io.division.core.kind.PrinterColumn;
import io.division.core.model.Json;
import io.division.core.model.Resource;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Prints resources in every {@code -o} format, the way kubectl lays them out. A table remembers its
 * column widths, so that the rows a watch prints one by one line up under the first ones.
 */
final class ResourcePrinter {
  /** kubectl's table flags: --no-headers, --show-labels, -L, and NAME as kind/name. */
  record TableOptions(
      boolean allNamespaces,
      boolean noHeaders,
      boolean showLabels,
      List<String> labelColumns,
      boolean kindPrefix) {
    TableOptions {
      labelColumns = labelColumns == null ? List.of() : List.copyOf(labelColumns);
    }

    static TableOptions of(boolean allNamespaces) {
      return new TableOptions(allNamespaces, false, false, List.of(), false);
    }
  }

  private final PrintStream out;
  private final OutputFormat format;
  private final KindDefinition kind;
  private final TableOptions options;
  private final boolean allNamespaces;
  private final Instant now = Instant.now();
  private final TextTable table = new TextTable();

  ResourcePrinter(
      PrintStream out, OutputFormat format, KindDefinition kind, boolean allNamespaces) {
    this(out, format, kind, TableOptions.of(allNamespaces));
  }

  ResourcePrinter(PrintStream out, OutputFormat format, KindDefinition kind, TableOptions options) {
    this.out = out;
    this.format = format;
    this.kind = kind;
    this.options = options;
    this.allNamespaces = options.allNamespaces();
  }

  /** One resource asked for by name prints as itself; anything else as a List. */
  void print(List<Resource> items, boolean single) {
    switch (format.kind()) {
      case JSON -> out.println(Json.writePretty(single ? items.get(0).toJson() : list(items)));
      case YAML -> out.print(Json.writeYaml(single ? items.get(0).toJson() : list(items)));
      case NAME -> items.forEach(r -> out.println(name(r)));
      case JSONPATH ->
          out.print(format.template().render(single ? items.get(0).toJson() : list(items)));
      case TABLE, WIDE, CUSTOM_COLUMNS -> printTable(items, true);
    }
    out.flush();
  }

  /** Rows of a table (with a header unless asked not to, or told it was printed already). */
  void printRows(List<Resource> items, boolean header, String eventType) {
    printTable(items, header, eventType);
    out.flush();
  }

  /** One watch event or waited-for object: tables print a row (with a header the first time). */
  void printOne(Resource r, boolean header, String eventType) {
    switch (format.kind()) {
      case JSON -> out.println(Json.write(event(r, eventType)));
      case YAML -> out.print("---\n" + Json.writeYaml(event(r, eventType)));
      case NAME -> out.println(name(r));
      case JSONPATH -> out.print(format.template().render(r.toJson()));
      case TABLE, WIDE, CUSTOM_COLUMNS -> printTable(List.of(r), header, eventType);
    }
    out.flush();
  }

  private JsonNode event(Resource r, String eventType) {
    if (eventType == null) return r.toJson();
    ObjectNode e = Json.object();
    e.put("type", eventType);
    e.set("object", r.toJson());
    return e;
  }

  String name(Resource r) {
    return kind.singular() + "/" + r.name();
  }

  boolean isTable() {
    return format.isTable();
  }

  /**
   * A Cluster's state is computed from its heartbeat and lease, not stored: a dead gateway cannot
   * write that it is dead.
   */
  private boolean isCluster() {
    return kind.kind().equals(BuiltinKinds.CLUSTER);
  }

  static ObjectNode list(List<Resource> items) {
    ObjectNode list = Json.object();
    list.put("apiVersion", "v1");
    list.put("kind", "List");
    ArrayNode arr = list.putArray("items");
    items.forEach(r -> arr.add(r.toJson()));
    return list;
  }

  private void printTable(List<Resource> items, boolean header) {
    printTable(items, header, null);
  }

  private void printTable(List<Resource> items, boolean header, String eventType) {
    List<List<String>> rows = new ArrayList<>();
    if (header && !options.noHeaders()) rows.add(headerRow(eventType));
    for (Resource r : items) rows.add(row(r, eventType));
    out.print(table.render(rows));
  }

  /** Computed once per printer, with each column's path compiled once: not once per row. */
  private List<PrinterColumn> kindColumns;

  private final Map<String, JsonPath> columnPaths = new HashMap<>();

  private List<PrinterColumn> kindColumns() {
    if (kindColumns == null) {
      kindColumns =
          kind.printerColumns().stream()
              .filter(c -> c.priority() == 0 || format.kind() == OutputFormat.Kind.WIDE)
              .toList();
    }
    return kindColumns;
  }

  private List<String> headerRow(String eventType) {
    List<String> h = new ArrayList<>();
    if (eventType != null) h.add("EVENT");
    if (format.kind() == OutputFormat.Kind.CUSTOM_COLUMNS) {
      format.columns().forEach(c -> h.add(c.header()));
      return h;
    }
    if (allNamespaces && kind.namespaced()) h.add("NAMESPACE");
    h.add("NAME");
    if (isCluster()) h.add("STATUS");
    kindColumns().forEach(c -> h.add(c.name().toUpperCase(Locale.ROOT)));
    if (isCluster()) h.add("HEARTBEAT");
    h.add("AGE");
    options.labelColumns().forEach(l -> h.add(labelHeader(l)));
    if (format.kind() == OutputFormat.Kind.WIDE || options.showLabels()) h.add("LABELS");
    return h;
  }

  /** kubectl's -L header: the key's last path segment, upper case. */
  private static String labelHeader(String key) {
    return key.substring(key.lastIndexOf('/') + 1).toUpperCase(Locale.ROOT);
  }

  private List<String> row(Resource r, String eventType) {
    List<String> row = new ArrayList<>();
    if (eventType != null) row.add(eventType);
    if (format.kind() == OutputFormat.Kind.CUSTOM_COLUMNS) {
      JsonNode json = r.toJson();
      format.columns().forEach(c -> row.add(cell(c.path().find(json))));
      return row;
    }
    if (allNamespaces && kind.namespaced()) row.add(r.namespace());
    row.add(options.kindPrefix() ? name(r) : r.name());
    ClusterHealth health = isCluster() ? ClusterHealth.of(r, now) : null;
    if (health != null) row.add(health.state().name());
    List<PrinterColumn> columns = kindColumns();
    JsonNode json = columns.isEmpty() ? null : r.toJson();
    for (PrinterColumn c : columns)
      row.add(cell(columnPaths.computeIfAbsent(c.jsonPath(), JsonPath::compile).find(json)));
    if (health != null)
      row.add(
          health.sinceHeartbeat() == null
              ? "<never>"
              : humanDuration(health.sinceHeartbeat()) + " ago");
    row.add(age(r.metadata().creationTimestamp()));
    for (String l : options.labelColumns()) row.add(r.metadata().labels().getOrDefault(l, ""));
    if (format.kind() == OutputFormat.Kind.WIDE || options.showLabels())
      row.add(labels(r.metadata().labels()));
    return row;
  }

  private static String cell(List<JsonNode> values) {
    String v =
        values.stream()
            .map(JsonPathTemplate::text)
            .filter(s -> !s.isEmpty())
            .collect(Collectors.joining(","));
    return v.isEmpty() ? "<none>" : v;
  }

  private static String labels(Map<String, String> labels) {
    if (labels.isEmpty()) return "<none>";
    return labels.entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(","));
  }

  private String age(String timestamp) {
    if (timestamp == null) return "<unknown>";
    try {
      return humanDuration(Duration.between(Instant.parse(timestamp), now));
    } catch (DateTimeParseException e) {
      return "<invalid>";
    }
  }

  /** kubectl's HumanDuration: precise while young, coarse when old. */
  static String humanDuration(Duration d) {
    long s = Math.max(0, d.getSeconds());
    if (s < 120) return s + "s";
    long m = s / 60;
    if (m < 10) return m + "m" + (s % 60 == 0 ? "" : (s % 60) + "s");
    if (m < 180) return m + "m";
    long h = m / 60;
    if (h < 8) return h + "h" + (m % 60 == 0 ? "" : (m % 60) + "m");
    if (h < 48) return h + "h";
    long days = h / 24;
    if (h < 24 * 8) return days + "d" + (h % 24 == 0 ? "" : (h % 24) + "h");
    if (days < 365 * 2) return days + "d";
    return (days / 365) + "y";
  }
}
