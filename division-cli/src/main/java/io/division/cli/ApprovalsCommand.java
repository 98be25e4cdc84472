package io.division.cli;

import io.division.core.approval.Approvals;
import io.division.core.approval.CallerIdentity;
import io.division.core.approval.Identity;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

final class ApprovalsCommand extends DivSubcommand implements Callable<Integer> {
  boolean mine;
  boolean allNamespaces;

  @Override
  CommandModel declare() {
    return command(
            "approvals",
            "List the approvals still waiting for a decision (all of them, or those waiting on you).")
        .footer(
            "",
            "Examples:",
            "  div approvals                 # pending in the namespace",
            "  div approvals --mine -A       # pending, that you may decide and have not, in every namespace")
        .flag(
            "--mine",
            "Only approvals you may decide (as the store identifies you) and have not yet.",
            v -> mine = v)
        .flag("-A, --all-namespaces", "Every namespace.", v -> allNamespaces = v);
  }

  @Override
  public Integer call() {
    Identity me = mine ? CallerIdentity.of(division().config()) : null;
    List<Approvals.Pending> open =
        Approvals.open(
            division().store(), allNamespaces ? null : namespace(), me, Clock.systemUTC());
    if (open.isEmpty()) {
      err().println("No pending approvals" + (mine ? " waiting on " + me.name() : "") + ".");
      return ExitCodes.OK;
    }
    List<List<String>> rows = new ArrayList<>();
    List<String> header = new ArrayList<>();
    if (allNamespaces) header.add("NAMESPACE");
    header.addAll(
        List.of("NAME", "APPROVED", "REQUESTED-BY", "APPROVERS", "EXPIRES", "DESCRIPTION"));
    rows.add(header);
    for (Approvals.Pending p : open) {
      List<String> row = new ArrayList<>();
      if (allNamespaces) row.add(p.approval().namespace());
      row.add(p.approval().name());
      row.add(p.state().progress());
      row.add(orNone(p.policy().requester()));
      row.add(
          p.policy().approvers().isEmpty() ? "<anyone>" : String.join(",", p.policy().approvers()));
      row.add(p.policy().expiresAt() == null ? "<never>" : p.policy().expiresAt().toString());
      row.add(orNone(p.policy().description()));
      rows.add(row);
    }
    out().print(new TextTable().render(rows));
    return ExitCodes.OK;
  }

  private static String orNone(String s) {
    return s == null || s.isBlank() ? "<none>" : s.strip().replaceAll("\\s+", " ");
  }
}
