package io.division.cli;

import io.division.core.Division;
import io.division.core.manifest.Document;
import io.division.core.model.Resource;
import io.division.core.plan.ApplyPlan;
import io.division.core.store.ApplyResult;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "apply",
    description = "Create or update resources from files, folders or stdin.",
    footer = {
      "",
      "Every document is validated before any is written; all are then written atomically.",
      "A metadata.resourceVersion in a document is a precondition: if it is stale, nothing is written.",
      "With -n, a document that names another namespace is refused.",
      "",
      "Examples:",
      "  div apply -f approval.yaml",
      "  div apply -f examples/",
      "  div apply -f examples/ --dry-run=server",
      "  cat a.json | div apply -f -"
    })
final class ApplyCommand extends DivSubcommand implements Callable<Integer> {
  enum DryRun {
    none,
    client,
    server
  }

  @Option(
      names = {"-f", "--filename"},
      required = true,
      paramLabel = "FILE",
      description = "File, folder (its .yaml, .yml, .json files) or - for stdin; repeatable.")
  List<String> files;

  @Option(
      names = "--dry-run",
      arity = "0..1",
      fallbackValue = "client",
      defaultValue = "none",
      paramLabel = "none|client|server",
      description =
          "Write nothing. client: check the documents only; server: also compare with the store"
              + " (created, configured or unchanged).")
  DryRun dryRun;

  @Override
  public Integer call() {
    List<Document> docs = Manifests.read(files, div().in);
    if (docs.isEmpty()) throw new CliException(ExitCodes.ERROR, "no objects passed to apply");
    Division division = division();
    boolean explicit = div().namespace != null && !div().namespace.isBlank();
    switch (dryRun) {
      case client -> {
        for (Resource r : division.prepare(docs, namespace(), explicit))
          print(r, "checked (client dry run: the store was not read)");
      }
      case server -> {
        for (ApplyPlan.Change c : ApplyPlan.of(division, docs, namespace(), explicit))
          print(c.wanted(), c.outcome().verb() + " (server dry run)");
      }
      case none -> {
        for (ApplyResult result : division.apply(docs, namespace(), explicit))
          print(result.resource(), result.outcome().verb());
      }
    }
    return ExitCodes.OK;
  }

  private void print(Resource r, String verb) {
    out().println(r.kind().toLowerCase(Locale.ROOT) + "/" + r.name() + " " + verb);
  }
}
