package io.division.cli;

import io.division.core.Division;
import io.division.core.manifest.Document;
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
      "",
      "Examples:",
      "  div apply -f approval.yaml",
      "  div apply -f examples/",
      "  cat a.json | div apply -f -"
    })
final class ApplyCommand extends DivSubcommand implements Callable<Integer> {
  @Option(
      names = {"-f", "--filename"},
      required = true,
      paramLabel = "FILE",
      description = "File, folder (its .yaml, .yml, .json files) or - for stdin; repeatable.")
  List<String> files;

  @Override
  public Integer call() {
    List<Document> docs = Manifests.read(files, div().in);
    if (docs.isEmpty()) throw new CliException(ExitCodes.ERROR, "no objects passed to apply");
    Division division = division();
    for (ApplyResult result : division.apply(docs, namespace())) {
      out()
          .println(
              result.resource().kind().toLowerCase(Locale.ROOT)
                  + "/"
                  + result.resource().name()
                  + " "
                  + result.outcome().verb());
    }
    return ExitCodes.OK;
  }
}
