package io.division.cli;

import io.division.core.DivisionException;
import io.division.core.manifest.Document;
import io.division.core.plan.ApplyPlan;
import io.division.core.plan.UnifiedDiff;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

final class DiffCommand extends DivSubcommand implements Callable<Integer> {
  List<String> files;

  @Override
  CommandModel declare() {
    return command("diff", "Show what 'div apply -f' would change, as a unified diff.")
        .footer(
            "",
            "Exit codes (as kubectl diff): 0 no differences, 1 differences found, 2 error.",
            "Fields only the store sets (resourceVersion, uid, timestamps, generation) are left out.",
            "",
            "Examples:",
            "  div diff -f examples/",
            "  div get approval a1 -o yaml | sed 's/x/y/' | div diff -f -")
        .optionList(
            "-f, --filename", "FILE", "File, folder or - for stdin; repeatable.", v -> files = v)
        .required();
  }

  @Override
  public Integer call() {
    List<ApplyPlan.Change> changes;
    try {
      List<Document> docs = Manifests.read(files, div().in);
      if (docs.isEmpty()) throw new CliException(2, "no objects passed to diff");
      boolean explicit = div().namespace != null && !div().namespace.isBlank();
      changes = ApplyPlan.of(division(), docs, namespace(), explicit);
    } catch (DivisionException e) {
      // kubectl diff's contract: 1 means "differences", so errors exit with 2.
      throw new CliException(2, e.getMessage());
    }
    boolean differs = false;
    for (ApplyPlan.Change c : changes) {
      String name =
          c.wanted().kind().toLowerCase(Locale.ROOT)
              + "/"
              + (c.wanted().namespace() == null || c.wanted().namespace().isEmpty()
                  ? ""
                  : c.wanted().namespace() + "/")
              + c.wanted().name();
      String diff =
          UnifiedDiff.of(
              c.live() == null ? "/dev/null" : "live/" + name,
              "merged/" + name,
              ApplyPlan.yaml(c.live()),
              ApplyPlan.yaml(c.wanted()));
      if (!diff.isEmpty()) {
        out().print(diff);
        differs = true;
      }
    }
    return differs ? 1 : ExitCodes.OK;
  }
}
