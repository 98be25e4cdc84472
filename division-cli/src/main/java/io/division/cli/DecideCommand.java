package io.division.cli;

import io.division.core.approval.Approvals;
import io.division.core.model.ResourceKey;
import java.time.Clock;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code div approve} and {@code div reject}: the same decision, two verbs. */
abstract class DecideCommand extends DivSubcommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "KIND", description = "Usually 'approval'.")
  String kind;

  @Parameters(index = "1", arity = "0..1", paramLabel = "NAME")
  String name;

  @Option(names = "--as", paramLabel = "USER", description = "Who decides (default: the OS user).")
  String as;

  @Option(
      names = {"-m", "--message"},
      paramLabel = "TEXT",
      description = "Why; recorded in status.message.")
  String message;

  abstract boolean approve();

  @Override
  public Integer call() {
    String who = as != null ? as : System.getProperty("user.name");
    ResourceKey key = KindAndName.resolve(division(), namespace(), kind, name);
    if (!key.kind().equals(io.division.core.kind.BuiltinKinds.APPROVAL)) {
      throw new CliException(
          ExitCodes.USAGE,
          "only approvals can be "
              + (approve() ? "approved" : "rejected")
              + ", not a "
              + key.kind());
    }
    Approvals.Decision d =
        approve()
            ? Approvals.approve(division().store(), key, who, message, Clock.systemUTC())
            : Approvals.reject(division().store(), key, who, message, Clock.systemUTC());
    String what = key.kind().toLowerCase(Locale.ROOT) + "/" + key.name();
    String verb = approve() ? "approved" : "rejected";
    out()
        .println(
            what
                + (d.outcome() == Approvals.Outcome.ALREADY_DECIDED
                    ? " already " + verb
                    : " " + verb)
                + " by "
                + d.resource().statusText(verb + "By"));
    return ExitCodes.OK;
  }

  @Command(
      name = "approve",
      description = "Approve an approval: status.phase=Approved, with who and when.")
  static final class Approve extends DecideCommand {
    @Override
    boolean approve() {
      return true;
    }
  }

  @Command(
      name = "reject",
      description = "Reject an approval: status.phase=Rejected, with who, when and why.")
  static final class Reject extends DecideCommand {
    @Override
    boolean approve() {
      return false;
    }
  }
}
