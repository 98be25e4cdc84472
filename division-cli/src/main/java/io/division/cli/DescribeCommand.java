package io.division.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.division.core.Division;
import io.division.core.describe.Related;
import io.division.core.kind.KindDefinition;
import io.division.core.logs.LogFollower;
import io.division.core.model.Json;
import io.division.core.model.Resource;
import io.division.core.store.ListQuery;
import io.division.core.store.StoreException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

final class DescribeCommand extends DivSubcommand implements Callable<Integer> {
  List<String> args = new ArrayList<>();
  int tail;

  @Override
  CommandModel declare() {
    return command(
            "describe",
            "Show a resource in detail: spec, status, conditions, related resources, last log lines.")
        .footer(
            "",
            "Related resources: an Install's Release and Deployment; a Release's Install and Deployment;",
            "a Deployment's Releases and Installs, per cluster.",
            "",
            "Examples:",
            "  div describe install myapp-c1-v1",
            "  div describe deployment/myapp",
            "  div describe approvals")
        .positionalList(
            "0..*",
            "KIND [NAME...]",
            "Kind and names (default: all of the kind), or KIND/NAME arguments.",
            v -> args = v)
        .arity("1..*")
        .option(
            "--tail",
            "N",
            "How many of the last log lines to show (default: ${DEFAULT-VALUE}; 0: none).",
            Integer.class,
            v -> tail = v)
        .defaultValue("10");
  }

  @Override
  public Integer call() {
    Division division = division();
    int failures = 0;
    boolean first = true;
    for (ResourceArgs.Request request : ResourceArgs.parse(division, args)) {
      KindDefinition kind = request.kind();
      List<Resource> items = new ArrayList<>();
      if (request.names().isEmpty()) {
        items.addAll(
            division
                .store()
                .list(new ListQuery(kind.kind(), kind.namespaced() ? namespace() : null, null))
                .items());
      } else {
        for (String name : request.names()) {
          try {
            items.add(division.store().get(division.key(kind, namespace(), name)));
          } catch (StoreException e) {
            if (!e.is(StoreException.Reason.NOT_FOUND)) throw e;
            err().println("error: " + e.getMessage());
            failures++;
          }
        }
      }
      for (Resource r : items) {
        if (!first) out().println();
        describe(division, kind, r);
        first = false;
      }
    }
    return failures == 0 ? ExitCodes.OK : ExitCodes.ERROR;
  }

  private void describe(Division division, KindDefinition kind, Resource r) {
    PrintStream out = out();
    field("Name", r.name());
    if (kind.namespaced()) field("Namespace", r.namespace());
    field("Kind", r.kind());
    field("Labels", pairs(r.metadata().labels(), "\n" + " ".repeat(14)));
    field("Annotations", pairs(r.metadata().annotations(), "\n" + " ".repeat(14)));
    String created = r.metadata().creationTimestamp();
    field("Created", created == null ? "<unknown>" : created + " (" + age(created) + " ago)");
    if (r.metadata().generation() != null)
      field("Generation", String.valueOf(r.metadata().generation()));
    field("Version", r.resourceVersion());
    section("Spec", r.spec());
    JsonNode status = r.status();
    JsonNode conditions = status == null ? null : status.get("conditions");
    if (status != null && status.isObject() && conditions != null) {
      status = status.deepCopy();
      ((com.fasterxml.jackson.databind.node.ObjectNode) status).remove("conditions");
    }
    section("Status", status);
    if (conditions != null && conditions.isArray() && !conditions.isEmpty()) {
      out.println("Conditions:");
      List<List<String>> rows = new ArrayList<>();
      rows.add(List.of("TYPE", "STATUS", "REASON", "AGE", "MESSAGE"));
      long generation = r.metadata().generation() == null ? 0 : r.metadata().generation();
      for (JsonNode c : conditions) {
        String reason = c.path("reason").asText("");
        if (c.has("observedGeneration") && c.get("observedGeneration").asLong() < generation)
          reason = (reason.isEmpty() ? "" : reason + " ") + "(stale)";
        rows.add(
            List.of(
                c.path("type").asText(""),
                c.path("status").asText(""),
                reason,
                c.has("lastTransitionTime") ? age(c.get("lastTransitionTime").asText()) : "",
                c.path("message").asText("")));
      }
      table(rows);
    }
    List<Related.Link> links = Related.of(division.store(), r);
    if (!links.isEmpty()) {
      out.println("Related:");
      List<List<String>> rows = new ArrayList<>();
      rows.add(List.of("RELATION", "CLUSTER", "NAME", "STATE"));
      for (Related.Link link : links) {
        rows.add(
            List.of(
                link.relation(),
                link.cluster() == null ? "" : link.cluster(),
                link.key().kind().toLowerCase(java.util.Locale.ROOT) + "/" + link.key().name(),
                link.resource().map(DescribeCommand::state).orElse("<not found>")));
      }
      table(rows);
    }
    if (tail > 0) {
      List<String> lines = new ArrayList<>();
      new LogFollower(division.store(), r.key())
          .readExisting(tail, null, line -> lines.add(line.time() + " " + line.text()));
      out.println("Last log lines:" + (lines.isEmpty() ? "  <none>" : ""));
      lines.forEach(l -> out.println("  " + l));
    }
  }

  /** A one-word summary of a related resource: phase, outcome, or ref. */
  private static String state(Resource r) {
    for (String f : List.of("phase", "outcome")) {
      String v = r.statusText(f);
      if (v != null && !v.isBlank()) {
        String ref = r.specText("ref") != null ? r.specText("ref") : r.statusText("ref");
        return v + (ref == null ? "" : " (ref " + ref + ")");
      }
    }
    String ref = r.specText("ref");
    return ref == null ? "<no status>" : "ref " + ref;
  }

  private void field(String name, String value) {
    out().printf("%-13s %s%n", name + ":", value == null ? "<none>" : value);
  }

  private void section(String name, JsonNode node) {
    if (node == null || node.isNull() || (node.isContainerNode() && node.isEmpty())) {
      field(name, "<none>");
      return;
    }
    out().println(name + ":");
    Json.writeYaml(node).lines().forEach(l -> out().println("  " + l));
  }

  private void table(List<List<String>> rows) {
    int[] widths = new int[rows.get(0).size()];
    for (List<String> row : rows)
      for (int i = 0; i < row.size(); i++) widths[i] = Math.max(widths[i], row.get(i).length());
    for (List<String> row : rows) {
      StringBuilder sb = new StringBuilder("  ");
      for (int i = 0; i < row.size(); i++) {
        sb.append(row.get(i));
        if (i < row.size() - 1) sb.append(" ".repeat(widths[i] - row.get(i).length() + 3));
      }
      out().println(sb.toString().stripTrailing());
    }
  }

  private static String pairs(Map<String, String> map, String separator) {
    if (map.isEmpty()) return "<none>";
    return map.entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(separator));
  }

  private static String age(String timestamp) {
    try {
      return ResourcePrinter.humanDuration(
          Duration.between(Instant.parse(timestamp), Instant.now()));
    } catch (DateTimeParseException e) {
      return "<invalid>";
    }
  }
}
