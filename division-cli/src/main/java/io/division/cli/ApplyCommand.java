package io.division.cli;

import io.division.core.Division;
import io.division.core.manifest.Document;
import io.division.core.model.Resource;
import io.division.core.plan.ApplyPlan;
import io.division.core.store.ApplyResult;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

final class ApplyCommand extends DivSubcommand implements Callable<Integer> {
  enum DryRun {
    none,
    client,
    server
  }

  List<String> files;
  DryRun dryRun;

  @Override
  CommandModel declare() {
    return command("apply", "Create or update resources from files, folders or stdin.")
        .footer(
            "",
            "Every document is validated before any is written; all are then written atomically.",
            "A metadata.resourceVersion in a document is a precondition: if it is stale, nothing is written.",
            "With -n, a document that names another namespace is refused.",
            "",
            "Examples:",
            "  div apply -f approval.yaml",
            "  div apply -f examples/",
            "  div apply -f examples/ --dry-run=server",
            "  cat a.json | div apply -f -")
        .optionList(
            "-f, --filename",
            "FILE",
            "File, folder (its .yaml, .yml, .json files) or - for stdin; repeatable.",
            v -> files = v)
        .required()
        .option(
            "--dry-run",
            "none|client|server",
            "Write nothing. client: check the documents only; server: also compare with the store"
                + " (created, configured or unchanged).",
            DryRun.class,
            v -> dryRun = v)
        .arity("0..1")
        .fallbackValue("client")
        .defaultValue("none");
  }

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
