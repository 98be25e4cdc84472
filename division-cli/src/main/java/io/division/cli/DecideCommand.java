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

/** {@code div approve} and {@code div reject}: the same decision, two verbs. */
abstract class DecideCommand extends DivSubcommand implements Callable<Integer> {
  String kind;
  String name;
  String as;
  String message;
  Path signWith;
  boolean printPayload;
  Path signature;
  Path payload;

  abstract String decision();

  /** The verb's command with the arguments both verbs take. */
  final CommandModel decideCommand(String verb, String description) {
    return command(verb, description)
        .positional("0", "KIND", "approval, or approval/NAME.", v -> kind = v)
        .positional("1", "NAME", v -> name = v)
        .arity("0..1")
        .option(
            "--as",
            "USER",
            "Decide under this name instead of your identity (the store's: the OS user, or your AWS"
                + " principal); only where the approval sets spec.allowDeclaredIdentity.",
            v -> as = v)
        .option("-m, --message", "TEXT", "Why; recorded with the decision.", v -> message = v)
        .option(
            "--sign",
            "KEYFILE",
            "Sign the decision with this OpenSSH private key (Ed25519 or RSA, unencrypted).",
            Path.class,
            v -> signWith = v)
        .flag(
            "--print-payload",
            "Print the text to sign for this decision and exit, e.g. for ssh-keygen -Y sign -n"
                + " division-approval.",
            v -> printPayload = v)
        .option(
            "--signature",
            "FILE",
            "A signature made elsewhere (ssh-keygen -Y sign) over the --payload file.",
            Path.class,
            v -> signature = v)
        .option(
            "--payload",
            "FILE",
            "The payload printed by --print-payload that --signature signs.",
            Path.class,
            v -> payload = v);
  }

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

  static final class Approve extends DecideCommand {
    @Override
    CommandModel declare() {
      return decideCommand(
          "approve",
          "Approve an approval: record who (as the store knows you), when, and for which spec.");
    }

    @Override
    String decision() {
      return Approvals.APPROVED;
    }
  }

  static final class Reject extends DecideCommand {
    @Override
    CommandModel declare() {
      return decideCommand(
          "reject", "Reject an approval: one rejection ends it; record who, when and why.");
    }

    @Override
    String decision() {
      return Approvals.REJECTED;
    }
  }
}
