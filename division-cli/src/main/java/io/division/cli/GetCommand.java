package io.division.cli;

import io.division.core.Division;
import io.division.core.kind.KindDefinition;
import io.division.core.model.Resource;
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
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "get",
    description = "Display one or more resources.",
    footer = {
      "",
      "Examples:",
      "  div get approvals",
      "  div get cluster foo -o json",
      "  div get apps -l team=web -A",
      "  div get install mine -w"
    })
final class GetCommand extends DivSubcommand implements Callable<Integer> {
  @Parameters(
      index = "0",
      paramLabel = "KIND",
      description = "Kind: kind, singular, plural or short name (or KIND/NAME).")
  String kindArg;

  @Parameters(index = "1..*", paramLabel = "NAME", description = "Names to get (default: all).")
  List<String> names = new ArrayList<>();

  @Option(
      names = {"-l", "--selector"},
      paramLabel = "SELECTOR",
      description = "Label selector, e.g. 'team=web,env in (prod,stage)'.")
  String selector;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      description = "table (default), wide, json, yaml, name or jsonpath=TEMPLATE.")
  String output;

  @Option(
      names = {"-A", "--all-namespaces"},
      description = "List across all namespaces.")
  boolean allNamespaces;

  @Option(
      names = {"-w", "--watch"},
      description = "After listing, watch for changes.")
  boolean watch;

  @Option(names = "--watch-only", description = "Watch for changes without listing first.")
  boolean watchOnly;

  @Option(
      names = "--output-watch-events",
      description = "Print the event type (ADDED, MODIFIED, DELETED) with each change.")
  boolean outputWatchEvents;

  @Override
  public Integer call() throws Exception {
    OutputFormat format = OutputFormat.parse(output);
    LabelSelector labelSelector = LabelSelector.parse(selector);
    Division division = division();
    List<String> wanted = new ArrayList<>();
    String kindName = kindArg;
    KindDefinition kind;
    if (kindArg.contains("/")) {
      // kubectl's KIND/NAME form: every argument is then KIND/NAME, here of one kind.
      kind = division.resolve(kindArg.substring(0, kindArg.indexOf('/')));
      List<String> all = new ArrayList<>();
      all.add(kindArg);
      all.addAll(names);
      for (String arg : all) {
        int slash = arg.indexOf('/');
        if (slash < 0)
          throw new CliException(
              ExitCodes.USAGE,
              "\"" + arg + "\": with KIND/NAME arguments, every argument is KIND/NAME");
        if (!division.resolve(arg.substring(0, slash)).kind().equals(kind.kind())) {
          throw new CliException(ExitCodes.USAGE, "\"" + arg + "\": one kind per div get");
        }
        wanted.add(arg.substring(slash + 1));
      }
    } else {
      kind = division.resolve(kindName);
      wanted.addAll(names);
    }
    String ns = kind.namespaced() && !allNamespaces ? namespace() : null;
    ResourcePrinter printer = new ResourcePrinter(out(), format, kind, allNamespaces);

    String listVersion = null;
    boolean printed = false;
    if (!watchOnly) {
      List<Resource> items;
      List<ResourceList.Damaged> damaged = List.of();
      int failures = 0;
      if (!wanted.isEmpty()) {
        items = new ArrayList<>();
        for (String name : new LinkedHashSet<>(wanted)) {
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
            err()
                .println(
                    "error: "
                        + kind.singular()
                        + " \""
                        + name
                        + "\" not found"
                        + (kind.namespaced() ? " in namespace \"" + namespace() + "\"" : ""));
            failures++;
          }
        }
        listVersion =
            watch
                ? division
                    .store()
                    .list(new ListQuery(kind.kind(), ns, labelSelector))
                    .resourceVersion()
                : null;
      } else {
        ResourceList list = division.store().list(new ListQuery(kind.kind(), ns, labelSelector));
        items = list.items();
        listVersion = list.resourceVersion();
        // Damaged objects are named after the rest are printed, and make the exit non-zero.
        damaged = list.damaged();
      }
      if (!items.isEmpty() && watch) {
        // A watch prints objects one by one, the initial ones as ADDED events, as kubectl does.
        for (Resource r : items) {
          printer.printOne(r, !printed, outputWatchEvents ? "ADDED" : null);
          printed = true;
        }
      } else if (!items.isEmpty()) {
        printer.print(items, wanted.size() == 1 && items.size() == 1);
        printed = true;
      } else if (failures == 0 && damaged.isEmpty() && !watch) {
        err().println("No resources found" + (ns == null ? "" : " in " + ns + " namespace") + ".");
      }
      for (ResourceList.Damaged d : damaged) {
        err().println("error: " + d.toException().getMessage());
        failures++;
      }
      if (!watch) return failures == 0 ? ExitCodes.OK : ExitCodes.ERROR;
    }
    return watch(division, kind, ns, labelSelector, wanted, listVersion, printer, printed);
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
