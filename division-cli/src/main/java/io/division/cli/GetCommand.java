package io.division.cli;

import io.division.core.Division;
import io.division.core.jsonpath.SortBy;
import io.division.core.kind.KindDefinition;
import io.division.core.model.Resource;
import io.division.core.selector.FieldSelector;
import io.division.core.selector.LabelSelector;
import io.division.core.store.ListQuery;
import io.division.core.store.RelistingWatch;
import io.division.core.store.ResourceList;
import io.division.core.store.StoreException;
import io.division.core.store.Watch;
import io.division.core.store.WatchEvent;
import io.division.core.store.WatchQuery;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

final class GetCommand extends DivSubcommand implements Callable<Integer> {
  String kindArg;
  List<String> names = new ArrayList<>();
  String selector;
  String fieldSelector;
  String output;
  String sortBy;
  boolean noHeaders;
  boolean showLabels;
  List<String> labelColumns = new ArrayList<>();
  boolean allNamespaces;
  boolean watch;
  boolean watchOnly;
  boolean outputWatchEvents;

  @Override
  CommandModel declare() {
    return command("get", "Display one or more resources.")
        .footer(
            "",
            "Examples:",
            "  div get approvals",
            "  div get cluster foo -o json",
            "  div get approval/a1 widget/w1",
            "  div get apps -l team=web -A --show-labels",
            "  div get installs --field-selector status.phase=Failed --sort-by .metadata.name",
            "  div get installs -o custom-columns=NAME:.metadata.name,CLUSTER:.spec.cluster",
            "  div get install mine -w")
        .positional(
            "0",
            "KIND",
            "Kind (kind, singular, plural or short name; KIND1,KIND2 for several), or KIND/NAME.",
            v -> kindArg = v)
        .positionalList(
            "1..*",
            "NAME",
            "Names to get (default: all); or more KIND/NAME arguments, of any kind.",
            v -> names = v)
        .option(
            "-l, --selector",
            "SELECTOR",
            "Label selector, e.g. 'team=web,env in (prod,stage),replicas>2'.",
            v -> selector = v)
        .option(
            "--field-selector",
            "SELECTOR",
            "Field selector: metadata.name, metadata.namespace, status.phase or a column's field,"
                + " with =, == or !=, e.g. status.phase!=Done.",
            v -> fieldSelector = v)
        .option(
            "-o, --output",
            "FORMAT",
            "table (default), wide, json, yaml, name, jsonpath=TEMPLATE or"
                + " custom-columns=HEADER:PATH,...",
            v -> output = v)
        .option(
            "--sort-by",
            "PATH",
            "Sort by this JSONPath, e.g. .metadata.name or '{.status.phase}'.",
            v -> sortBy = v)
        .flag("--no-headers", "Print tables without their header row.", v -> noHeaders = v)
        .flag("--show-labels", "Add a LABELS column to tables.", v -> showLabels = v)
        .optionList(
            "-L, --label-columns",
            "KEY",
            "Add a column with the value of this label; repeatable or comma-separated.",
            v -> labelColumns = v)
        .split(",")
        .flag("-A, --all-namespaces", "List across all namespaces.", v -> allNamespaces = v)
        .flag("-w, --watch", "After listing, watch for changes.", v -> watch = v)
        .flag("--watch-only", "Watch for changes without listing first.", v -> watchOnly = v)
        .flag(
            "--output-watch-events",
            "Print the event type (ADDED, MODIFIED, DELETED) with each change.",
            v -> outputWatchEvents = v);
  }

  @Override
  public Integer call() throws Exception {
    OutputFormat format = OutputFormat.parse(output);
    LabelSelector labelSelector = LabelSelector.parse(selector);
    Division division = division();
    List<String> args = new ArrayList<>();
    args.add(kindArg);
    args.addAll(names);
    List<ResourceArgs.Request> requests = ResourceArgs.parse(division, args);
    StartupTrace.mark("kinds resolved");
    boolean watching = watch || watchOnly;
    if (watching && requests.size() > 1)
      throw new CliException(
          ExitCodes.USAGE, "--watch follows one kind; these arguments name " + requests.size());
    if (watching && fieldSelector != null)
      throw new CliException(ExitCodes.USAGE, "--field-selector does not apply to --watch");
    boolean several = requests.size() > 1;
    int failures = 0;
    List<Resource> all = new ArrayList<>();
    List<Printed> printed = new ArrayList<>();
    // Damaged objects are named after the rest are printed, and make the exit non-zero.
    List<ResourceList.Damaged> damaged = new ArrayList<>();
    String listVersion = null;
    for (ResourceArgs.Request request : requests) {
      KindDefinition kind = request.kind();
      FieldSelector fields = FieldSelector.parse(fieldSelector, kind);
      String ns = kind.namespaced() && !allNamespaces ? namespace() : null;
      List<Resource> items = new ArrayList<>();
      if (watchOnly) {
        // nothing to list
      } else if (!request.names().isEmpty()) {
        for (String name : request.names()) {
          try {
            items.add(
                division.store().get(division.key(kind, ns == null ? namespace() : ns, name)));
          } catch (StoreException e) {
            if (e.is(StoreException.Reason.INTERNAL) && e.key() != null) {
              // A damaged object: named, and the other names are still printed.
              err().println("error: " + e.getMessage());
              failures++;
              continue;
            }
            if (!e.is(StoreException.Reason.NOT_FOUND)) throw e;
            err().println("error: " + notFound(kind, name));
            failures++;
          }
        }
        if (watch)
          listVersion =
              division
                  .store()
                  .list(new ListQuery(kind.kind(), ns, labelSelector))
                  .resourceVersion();
      } else {
        ResourceList list = division.store().list(new ListQuery(kind.kind(), ns, labelSelector));
        items.addAll(list.items());
        listVersion = list.resourceVersion();
        damaged.addAll(list.damaged());
      }
      items = SortBy.sort(fields.filter(items), sortBy);
      all.addAll(items);
      printed.add(new Printed(kind, ns, items));
    }

    if (watching) {
      ResourceArgs.Request request = requests.get(0);
      Printed p = printed.get(0);
      ResourcePrinter printer = printer(format, request.kind(), false);
      boolean headerPrinted = false;
      if (!p.items().isEmpty()) {
        if (printer.isTable()) {
          // The first rows as one aligned table; the watch's rows then line up under them.
          printer.printRows(p.items(), true, outputWatchEvents ? "ADDED" : null);
        } else {
          for (Resource r : p.items())
            printer.printOne(r, false, outputWatchEvents ? "ADDED" : null);
        }
        headerPrinted = true;
      }
      return watch(
          division,
          request.kind(),
          p.namespace(),
          labelSelector,
          request.names(),
          listVersion,
          printer,
          headerPrinted);
    }

    StartupTrace.mark("listed");
    int asked = requests.stream().mapToInt(r -> r.names().size()).sum();
    switch (format.kind()) {
      case JSON, YAML, JSONPATH ->
          // One object asked for by name prints as itself; anything else (even nothing) as a List.
          printer(format, requests.get(0).kind(), several)
              .print(all, asked == 1 && all.size() == 1 && requests.size() == 1);
      default -> {
        boolean first = true;
        for (Printed p : printed) {
          if (p.items().isEmpty()) continue;
          if (!first && format.isTable()) out().println();
          printer(format, p.kind(), several).print(p.items(), false);
          first = false;
        }
        if (all.isEmpty() && failures == 0 && damaged.isEmpty() && format.isTable()) {
          String ns = printed.get(0).namespace();
          err()
              .println("No resources found" + (ns == null ? "" : " in " + ns + " namespace") + ".");
        }
      }
    }
    StartupTrace.mark("printed");
    for (ResourceList.Damaged d : damaged) {
      err().println("error: " + d.toException().getMessage());
      failures++;
    }
    return failures == 0 ? ExitCodes.OK : ExitCodes.ERROR;
  }

  private record Printed(KindDefinition kind, String namespace, List<Resource> items) {}

  private ResourcePrinter printer(OutputFormat format, KindDefinition kind, boolean kindPrefix) {
    return new ResourcePrinter(
        out(),
        format,
        kind,
        new ResourcePrinter.TableOptions(
            allNamespaces, noHeaders, showLabels, labelColumns, kindPrefix));
  }

  private String notFound(KindDefinition kind, String name) {
    return kind.singular()
        + " \""
        + name
        + "\" not found"
        + (kind.namespaced() ? " in namespace \"" + namespace() + "\"" : "");
  }

  private int watch(
      Division division,
      KindDefinition kind,
      String ns,
      LabelSelector labelSelector,
      List<String> wanted,
      String fromVersion,
      ResourcePrinter printer,
      boolean headerPrinted)
      throws InterruptedException {
    Interrupts.install();
    Set<String> names = new LinkedHashSet<>(wanted);
    boolean header = !headerPrinted;
    // Falling behind the change log relists inside the watch (see RelistingWatch).
    try (Watch w =
        new RelistingWatch(
            division.store(), new WatchQuery(kind.kind(), ns, labelSelector, fromVersion), null)) {
      while (!Interrupts.requested()) {
        WatchEvent event = w.poll(Duration.ofMillis(250));
        if (event == null) continue;
        Resource r = event.resource();
        if (!names.isEmpty() && !names.contains(r.name())) continue;
        printer.printOne(r, header, outputWatchEvents ? event.type().name() : null);
        header = false;
      }
    }
    return ExitCodes.OK;
  }
}
