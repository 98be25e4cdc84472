package io.division.cli;

import io.division.core.Division;
import io.division.core.kind.KindDefinition;
import io.division.core.manifest.Document;
import io.division.core.model.Resource;
import io.division.core.model.ResourceKey;
import io.division.core.selector.LabelSelector;
import io.division.core.store.ListQuery;
import io.division.core.store.StoreException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

final class DeleteCommand extends DivSubcommand implements Callable<Integer> {
  List<String> args = new ArrayList<>();
  List<String> files = new ArrayList<>();
  String selector;
  boolean ignoreNotFound;

  @Override
  CommandModel declare() {
    return command("delete", "Delete resources by kind and names, by file, or by label selector.")
        .footer(
            "",
            "Examples:",
            "  div delete approval foo",
            "  div delete approval/a1 widget/w1",
            "  div delete -f approval.yaml",
            "  div delete apps -l team=web")
        .positionalList(
            "0..*",
            "KIND [NAME...]",
            "Kind, then names; or KIND/NAME arguments, of any kinds.",
            v -> args = v)
        .optionList(
            "-f, --filename", "FILE", "Delete the resources named in these files.", v -> files = v)
        .option(
            "-l, --selector",
            "SELECTOR",
            "Delete every resource of the kind matching this selector.",
            v -> selector = v)
        .flag(
            "--ignore-not-found", "Treat a missing resource as deleted.", v -> ignoreNotFound = v);
  }

  @Override
  public Integer call() {
    if (selector != null && selector.isBlank()) {
      // An empty selector selects everything: never what a delete means by accident.
      throw new CliException(
          ExitCodes.USAGE, "-l needs a selector; to delete every resource of a kind, name them");
    }
    Division division = division();
    List<ResourceKey> keys = new ArrayList<>();
    if (!files.isEmpty()) {
      if (!args.isEmpty() || selector != null)
        throw new CliException(ExitCodes.USAGE, "use either -f or KIND NAME/-l, not both");
      List<Document> docs = Manifests.read(files, div().in);
      for (Resource r : division.prepare(docs, namespace())) keys.add(r.key());
    } else {
      if (args.isEmpty())
        throw new CliException(
            ExitCodes.USAGE, "specify KIND NAME..., KIND -l SELECTOR, or -f FILE");
      List<ResourceArgs.Request> requests = ResourceArgs.parse(division, args);
      if (selector != null) {
        if (requests.stream().anyMatch(r -> !r.names().isEmpty()))
          throw new CliException(ExitCodes.USAGE, "use either names or -l, not both");
        for (ResourceArgs.Request request : requests) {
          KindDefinition kind = request.kind();
          String ns = kind.namespaced() ? namespace() : null;
          for (Resource r :
              division
                  .store()
                  .list(new ListQuery(kind.kind(), ns, LabelSelector.parse(selector)))
                  .items()) keys.add(r.key());
        }
        if (keys.isEmpty()) {
          err().println("No resources found");
          return ExitCodes.OK;
        }
      } else {
        for (ResourceArgs.Request request : requests) {
          if (request.names().isEmpty())
            throw new CliException(
                ExitCodes.USAGE,
                "specify the " + request.kind().plural() + " to delete by name, or -l SELECTOR");
          for (String name : request.names())
            keys.add(division.key(request.kind(), namespace(), name));
        }
      }
    }
    int failures = 0;
    for (ResourceKey key : keys) {
      try {
        division.store().delete(key);
        out()
            .println(
                key.kind().toLowerCase(java.util.Locale.ROOT) + " \"" + key.name() + "\" deleted");
      } catch (StoreException e) {
        if (!e.is(StoreException.Reason.NOT_FOUND)) throw e;
        if (!ignoreNotFound) {
          err().println("error: " + e.getMessage());
          failures++;
        }
      }
    }
    return failures == 0 ? ExitCodes.OK : ExitCodes.ERROR;
  }
}
