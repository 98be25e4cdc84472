package io.division.cli;

import io.division.core.Division;
import io.division.core.DivisionException;
import io.division.core.condition.ConditionSyntaxException;
import io.division.core.kind.KindDefinition;
import io.division.core.manifest.Document;
import io.division.core.model.Resource;
import io.division.core.model.ResourceKey;
import io.division.core.selector.LabelSelector;
import io.division.core.store.ApplyResult;
import io.division.core.store.ListQuery;
import io.division.core.store.LogLine;
import io.division.core.time.Durations;
import io.division.core.wait.CancelToken;
import io.division.core.wait.WaitSession;
import io.division.core.wait.WaitSink;
import io.division.core.wait.WaitSpec;
import io.division.core.wait.WaitStatus;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

final class WaitCommand extends DivSubcommand implements Callable<Integer> {
  private static final Pattern KIND_SLASH_NAME = Pattern.compile("[A-Za-z0-9.-]+/[A-Za-z0-9.-]+");
  List<String> args = new ArrayList<>();
  List<String> until = new ArrayList<>();
  List<String> forms = new ArrayList<>();
  List<String> failWhen = new ArrayList<>();
  String timeout;
  boolean logs;
  String progress = "30s";
  String output;
  String selector;
  boolean all;
  List<String> files = new ArrayList<>();
  boolean apply;
  java.nio.file.Path allowedSigners;

  @Override
  CommandModel declare() {
    return command("wait", "Wait until resources meet a condition (or are created or deleted).")
        .footer(
            "",
            "Conditions: status.phase = 'Approved', status.phase ~= 'Done.*', status.phase !~= 'Fail',",
            "status.replicas >= 2, status.url is defined, status.error isnot null, and/or/not, parentheses,",
            "nested paths with indexes (status.conditions[0].type). != needs the field to be present.",
            "kubectl forms: --for condition=Ready[=False], --for jsonpath='{.status.phase}'=Done",
            "(braces optional), --for delete, --for create.",
            "A resource that does not exist yet is waited for. Without --timeout, waits without limit.",
            "While waiting, a line on stderr says what is awaited, then again every --progress interval.",
            "Exit codes: 0 met, 3 timed out, 4 a --fail-when condition held, 1 error (e.g. deleted while",
            "waiting), 130 Ctrl-C, 143 SIGTERM.",
            "",
            "Examples:",
            "  div wait approval myjob1approval --until jsonql=\"status.phase = 'Approved'\"",
            "  div wait install myapp \"status.phase = 'Succeeded'\" --fail-when \"status.phase = 'Failed'\" --logs --timeout 10m",
            "  div wait approval/a1 install/i1 --for condition=Ready --timeout 5m",
            "  div wait approvals -l team=web --for jsonpath='{.status.phase}'=Approved",
            "  div wait -f job.yaml --apply --logs --until jsonql=\"status.phase = 'Done'\"")
        .positionalList(
            "0..*",
            "ARG",
            "KIND NAME [EXPR], KIND/NAME... [EXPR], KIND -l SEL [EXPR] or KIND --all.",
            v -> args = v)
        .optionList(
            "--until",
            "[jsonql=]EXPR",
            "A condition that must hold; repeatable (all must hold).",
            v -> until = v)
        .optionList(
            "--for",
            "FORM",
            "kubectl's forms: condition=C[=V], jsonpath='{...}'=V, delete, create; repeatable.",
            v -> forms = v)
        .optionList(
            "--fail-when",
            "EXPR",
            "End at once with exit 4 when this holds, e.g. \"status.phase = 'Failed'\".",
            v -> failWhen = v)
        .option(
            "--timeout", "DURATION", "e.g. 30s, 10m, 1h30m (default: no limit).", v -> timeout = v)
        .flag("--logs", "Stream the resources' logs to stderr while waiting.", v -> logs = v)
        .option(
            "--progress",
            "DURATION",
            "How often to say on stderr what is still awaited (default 30s; 0: only once).",
            v -> progress = v)
        .option(
            "-o, --output",
            "FORMAT",
            "Print each matched resource: json, yaml, name, jsonpath=...",
            v -> output = v)
        .option(
            "-l, --selector",
            "SELECTOR",
            "Wait on every resource of KIND with these labels (as they are at the start).",
            v -> selector = v)
        .flag("--all", "Wait on every resource of KIND in the namespace.", v -> all = v)
        .optionList(
            "-f, --filename",
            "FILE",
            "Wait on the resources in this file (with --apply: apply it first).",
            v -> files = v)
        .flag("--apply", "Apply the -f files, then wait on what was applied.", v -> apply = v)
        .option(
            "--allowed-signers",
            "FILE",
            "Approvals count only decisions signed by keys this file (git's allowed_signers format)"
                + " allows for the decider (default: $DIV_ALLOWED_SIGNERS).",
            java.nio.file.Path.class,
            v -> allowedSigners = v);
  }

  @Override
  public Integer call() {
    // Everything the user typed is checked before anything is applied or waited on.
    Targets targets = targets();
    Clock clock = Clock.systemUTC();
    Duration limit = timeout == null ? null : Durations.parse(timeout);
    Duration every = Durations.parse(progress);
    OutputFormat format = output == null ? null : OutputFormat.parse(output);
    if (apply && files.isEmpty()) throw new CliException(ExitCodes.USAGE, "--apply needs -f FILE");
    if ((selector != null || all) && !files.isEmpty())
      throw new CliException(ExitCodes.USAGE, "-l and --all do not go with -f");
    // One spec checks the conditions before any store is opened or anything applied.
    WaitSpec.Builder template = WaitSpec.builder();
    if (targets.expression != null) template.until(targets.expression);
    until.forEach(template::until);
    forms.forEach(template::waitFor);
    failWhen.forEach(template::failWhen);
    template.allowedSigners(trustList());
    try {
      template.key(new ResourceKey("Any", "", "any")).build();
    } catch (ConditionSyntaxException e) {
      throw e;
    } catch (DivisionException e) {
      // What to wait for does not hang together (a failure condition on a deletion...): the
      // command line was wrong.
      if (e.is(DivisionException.Reason.INVALID))
        throw new CliException(ExitCodes.USAGE, e.getMessage());
      throw e;
    }

    Division division = division();
    List<ResourceKey> keys = keys(division, targets);
    template.timeout(limit, clock);
    List<WaitSpec> specs = new ArrayList<>();
    for (ResourceKey key : keys) specs.add(template.key(key).build());

    CancelToken cancel = Interrupts.cancelOn(new CancelToken());
    PrintStream err = err();
    boolean several = specs.size() > 1;
    Report report = new Report(division, format, err, several);
    WaitSession.builder(division.store())
        .clock(clock)
        .followLogs(logs)
        .progressEvery(every)
        .build()
        .runAll(specs, report, cancel);
    return report.exit;
  }

  /** The waiter's own list of keys that may sign approval decisions, never the store's. */
  private String trustList() {
    java.nio.file.Path file = allowedSigners;
    String fromEnv = div().env.get("DIV_ALLOWED_SIGNERS");
    if (file == null && fromEnv != null && !fromEnv.isBlank())
      file = java.nio.file.Path.of(fromEnv);
    if (file == null) return null;
    try {
      return java.nio.file.Files.readString(file);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(
          "cannot read allowed signers " + file + ": " + e.getMessage(), e);
    }
  }

  /** What the positional arguments say: keys or a kind, and an optional expression. */
  private record Targets(String kind, List<String> names, String expression) {}

  private Targets targets() {
    List<String> rest = new ArrayList<>(args);
    if (!files.isEmpty()) {
      // With -f the resources come from the files: the only positional is an optional EXPR.
      if (rest.size() > 1) throw new CliException(ExitCodes.USAGE, "with -f, give no KIND or NAME");
      return new Targets(null, List.of(), rest.isEmpty() ? null : rest.get(0));
    }
    if (rest.isEmpty()) throw new CliException(ExitCodes.USAGE, "give KIND NAME, or -f FILE");
    if (KIND_SLASH_NAME.matcher(rest.get(0)).matches()) {
      List<String> names = new ArrayList<>();
      while (!rest.isEmpty() && KIND_SLASH_NAME.matcher(rest.get(0)).matches())
        names.add(rest.remove(0));
      if (rest.size() > 1)
        throw new CliException(
            ExitCodes.USAGE,
            "\"" + rest.get(1) + "\": with KIND/NAME arguments, every one is KIND/NAME");
      if (selector != null || all)
        throw new CliException(ExitCodes.USAGE, "-l and --all take KIND, not KIND/NAME");
      return new Targets(null, names, rest.isEmpty() ? null : rest.get(0));
    }
    String kind = rest.remove(0);
    if (selector != null || all) {
      if (selector != null && all)
        throw new CliException(ExitCodes.USAGE, "give either -l or --all, not both");
      if (rest.size() > 1)
        throw new CliException(ExitCodes.USAGE, "with -l or --all, give KIND and no NAME");
      return new Targets(kind, List.of(), rest.isEmpty() ? null : rest.get(0));
    }
    if (rest.isEmpty())
      throw new CliException(ExitCodes.USAGE, "a resource name is required: KIND NAME");
    String name = rest.remove(0);
    if (rest.size() > 1)
      throw new CliException(
          ExitCodes.USAGE, "too many arguments: KIND NAME [EXPR] (quote the expression)");
    return new Targets(kind, List.of(name), rest.isEmpty() ? null : rest.get(0));
  }

  private List<ResourceKey> keys(Division division, Targets targets) {
    List<ResourceKey> keys = new ArrayList<>();
    if (!files.isEmpty()) {
      List<Document> docs = Manifests.read(files, div().in);
      if (apply) {
        for (ApplyResult r : division.apply(docs, namespace())) {
          out().println(r.resource().key() + " " + r.outcome().verb());
          keys.add(r.resource().key());
        }
      } else {
        for (Resource r : division.prepare(docs, namespace())) keys.add(r.key());
      }
    } else if (targets.kind != null && (selector != null || all)) {
      KindDefinition kind = division.resolve(targets.kind);
      LabelSelector labels = all ? LabelSelector.everything() : LabelSelector.parse(selector);
      String ns = kind.namespaced() ? namespace() : null;
      for (Resource r : division.store().list(new ListQuery(kind.kind(), ns, labels)).items())
        keys.add(r.key());
      if (keys.isEmpty()) throw new CliException(ExitCodes.ERROR, "no matching resources found");
    } else if (targets.kind != null) {
      keys.add(KindAndName.resolve(division, namespace(), targets.kind, targets.names.get(0)));
    } else {
      for (String arg : targets.names)
        keys.add(KindAndName.resolve(division, namespace(), arg, null));
    }
    return keys;
  }

  /** Prints what the session reports; remembers the exit code of the first wait that failed. */
  private final class Report implements WaitSink {
    private final Division division;
    private final OutputFormat format;
    private final PrintStream err;
    private final boolean several;
    int exit = ExitCodes.OK;
    private boolean first = true;

    Report(Division division, OutputFormat format, PrintStream err, boolean several) {
      this.division = division;
      this.format = format;
      this.err = err;
      this.several = several;
    }

    @Override
    public void log(ResourceKey key, LogLine line) {
      err.println(several ? "[" + key + "] " + line.text() : line.text());
    }

    @Override
    public void waiting(List<WaitSpec> pending, Duration elapsed) {
      String when = first ? "" : " (" + Durations.format(round(elapsed)) + ")";
      for (WaitSpec spec : pending) {
        err.println((first ? "waiting for " : "still waiting for ") + spec.describe() + when);
      }
      first = false;
      err.flush();
    }

    @Override
    public void ended(WaitStatus status) {
      if (status.state() == WaitStatus.State.MET) {
        if (format != null && status.resource() != null) {
          KindDefinition def = division.resolve(status.spec().key().kind());
          new ResourcePrinter(out(), format, def, false).print(List.of(status.resource()), true);
        } else {
          out()
              .println(
                  status.spec().key()
                      + (status.resource() == null ? " deleted" : " condition met"));
        }
        out().flush();
        return;
      }
      int code =
          status.state() == WaitStatus.State.CANCELLED
              ? Interrupts.exitCode()
              : ExitCodes.of(status.failure().reason());
      err.println("error: " + status.message());
      err.flush();
      if (exit == ExitCodes.OK) exit = code;
    }

    private Duration round(Duration d) {
      return Duration.ofSeconds(Math.max(1, Math.round(d.toMillis() / 1000.0)));
    }
  }
}
