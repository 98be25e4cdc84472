package io.division.cli;

import io.division.core.approval.Approvals;
import io.division.core.approval.CallerIdentity;
import io.division.core.approval.DecisionPayload;
import io.division.core.approval.Identity;
import io.division.core.model.ResourceKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code div approve} and {@code div reject}: the same decision, two verbs. */
abstract class DecideCommand extends DivSubcommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "KIND", description = "approval, or approval/NAME.")
  String kind;

  @Parameters(index = "1", arity = "0..1", paramLabel = "NAME")
  String name;

  @Option(
      names = "--as",
      paramLabel = "USER",
      description =
          "Decide under this name instead of your identity (the store's: the OS user, or your AWS"
              + " principal); only where the approval sets spec.allowDeclaredIdentity.")
  String as;

  @Option(
      names = {"-m", "--message"},
      paramLabel = "TEXT",
      description = "Why; recorded with the decision.")
  String message;

  @Option(
      names = "--sign",
      paramLabel = "KEYFILE",
      description =
          "Sign the decision with this OpenSSH private key (Ed25519 or RSA, unencrypted).")
  Path signWith;

  @Option(
      names = "--print-payload",
      description =
          "Print the text to sign for this decision and exit, e.g. for ssh-keygen -Y sign -n"
              + " division-approval.")
  boolean printPayload;

  @Option(
      names = "--signature",
      paramLabel = "FILE",
      description = "A signature made elsewhere (ssh-keygen -Y sign) over the --payload file.")
  Path signature;

  @Option(
      names = "--payload",
      paramLabel = "FILE",
      description = "The payload printed by --print-payload that --signature signs.")
  Path payload;

  abstract String decision();

  @Override
  public Integer call() {
    if ((signature == null) != (payload == null)) {
      throw new CliException(ExitCodes.USAGE, "--signature and --payload go together");
    }
    if (signWith != null && signature != null) {
      throw new CliException(
          ExitCodes.USAGE, "give --sign KEYFILE or --signature/--payload, not both");
    }
    ResourceKey key = KindAndName.resolve(division(), namespace(), kind, name);
    Identity who = as != null ? Identity.declared(as) : CallerIdentity.of(division().config());
    Clock clock = Clock.systemUTC();
    if (printPayload) {
      out().print(Approvals.payload(division().store(), key, decision(), who, clock).text());
      return ExitCodes.OK;
    }
    Approvals.Signing signing = Approvals.Signing.NONE;
    if (signWith != null) signing = new Approvals.Signing.WithKey(signWith);
    if (signature != null) {
      signing =
          new Approvals.Signing.Presigned(DecisionPayload.parse(read(payload)), read(signature));
    }
    Approvals.Decision d =
        Approvals.decide(division().store(), key, decision(), who, message, signing, clock);
    String what = key.kind().toLowerCase(Locale.ROOT) + "/" + key.name();
    String verb = decision().toLowerCase(Locale.ROOT);
    String progress =
        d.state().phase().equals(decision())
            ? ""
            : " (" + d.state().progress() + " approved, " + d.state().phase() + ")";
    out()
        .println(
            what
                + (d.outcome() == Approvals.Outcome.ALREADY_DECIDED ? " already " : " ")
                + verb
                + " by "
                + who.name()
                + progress);
    return ExitCodes.OK;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  @Command(
      name = "approve",
      description =
          "Approve an approval: record who (as the store knows you), when, and for which spec.")
  static final class Approve extends DecideCommand {
    @Override
    String decision() {
      return Approvals.APPROVED;
    }
  }

  @Command(
      name = "reject",
      description = "Reject an approval: one rejection ends it; record who, when and why.")
  static final class Reject extends DecideCommand {
    @Override
    String decision() {
      return Approvals.REJECTED;
    }
  }
}
