package io.division.cli;

import io.division.core.Division;
import io.division.core.condition.Condition;
import io.division.core.condition.Conditions;
import io.division.core.kind.KindDefinition;
import io.division.core.logs.LogFollower;
import io.division.core.manifest.Document;
import io.division.core.model.Resource;
import io.division.core.model.ResourceKey;
import io.division.core.store.ApplyResult;
import io.division.core.time.Durations;
import io.division.core.wait.WaitOutcome;
import io.division.core.wait.Waiter;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "wait",
    description = "Wait until a resource meets a condition (or is created or deleted).",
    footer = {
      "",
      "Conditions: status.phase = 'Approved', status.phase ~= 'Done.*', status.replicas >= 2,",
      "and/or/not, parentheses, nested paths with indexes (status.conditions[0].type).",
      "kubectl forms: --for condition=Ready[=False], --for jsonpath='{.status.phase}'=Done, --for delete, --for create.",
      "A resource that does not exist yet is waited for. Without --timeout, waits without limit.",
      "Exit codes: 0 met, 3 timed out, 4 a --fail-when condition held, 1 error (e.g. deleted while waiting).",
      "",
      "Examples:",
      "  div wait approval myjob1approval --until jsonql=\"status.phase = 'Approved'\"",
      "  div wait install myapp \"status.phase = 'Succeeded'\" --fail-when \"status.phase = 'Failed'\" --logs --timeout 10m",
      "  div wait -f job.yaml --apply --logs --until jsonql=\"status.phase = 'Done'\""
    })
final class WaitCommand extends DivSubcommand implements Callable<Integer> {
  @Parameters(index = "0", arity = "0..1", paramLabel = "KIND")
  String kind;

  @Parameters(index = "1", arity = "0..1", paramLabel = "NAME")
  String name;

  @Parameters(
      index = "2",
      arity = "0..1",
      paramLabel = "EXPR",
      description = "A condition, as with --until.")
  String expression;

  @Option(
      names = "--until",
      paramLabel = "[jsonql=]EXPR",
      description = "A condition that must hold; repeatable (all must hold).")
  List<String> until = new ArrayList<>();

  @Option(
      names = "--for",
      paramLabel = "FORM",
      description =
          "kubectl's forms: condition=C[=V], jsonpath='{...}'=V, delete, create; repeatable.")
  List<String> forms = new ArrayList<>();

  @Option(
      names = "--fail-when",
      paramLabel = "EXPR",
      description = "End at once with exit 4 when this holds, e.g. \"status.phase = 'Failed'\".")
  List<String> failWhen = new ArrayList<>();

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      description = "e.g. 30s, 10m, 1h30m (default: no limit).")
  String timeout;

  @Option(names = "--logs", description = "Stream the resource's log to stderr while waiting.")
  boolean logs;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      description = "Print the matched resource: json, yaml, name, jsonpath=...")
  String output;

  @Option(
      names = {"-f", "--filename"},
      paramLabel = "FILE",
      description = "Wait on the resources in this file (with --apply: apply it first).")
  List<String> files = new ArrayList<>();

  @Option(names = "--apply", description = "Apply the -f files, then wait on what was applied.")
  boolean apply;

  @Override
  public Integer call() throws InterruptedException {
    // Everything the user typed is checked before anything is applied or waited on.
    List<Condition> conditions = new ArrayList<>();
    Waiter.Mode mode = Waiter.Mode.CONDITIONS;
    String expr = expression;
    if (!files.isEmpty()) {
      // With -f the resources come from the files: the only positional is an optional EXPR.
      if (name != null) throw new CliException(ExitCodes.USAGE, "with -f, give no KIND or NAME");
      expr = kind;
    }
    if (expr != null) conditions.add(Conditions.parseExpression(stripJsonql(expr)));
    for (String u : until) conditions.add(Conditions.parseExpression(stripJsonql(u)));
    for (String f : forms) {
      String form = f.trim().toLowerCase(Locale.ROOT);
      if (form.equals("delete")) mode = Waiter.Mode.DELETE;
      else if (form.equals("create")) mode = Waiter.Mode.CREATE;
      else conditions.add(Conditions.parseFor(f));
    }
    List<Condition> failures = new ArrayList<>();
    for (String fw : failWhen) failures.add(Conditions.parseExpression(stripJsonql(fw)));
    if (mode != Waiter.Mode.CONDITIONS && !failures.isEmpty()) {
      throw new CliException(ExitCodes.USAGE, "--fail-when does not apply to --for delete/create");
    }
    if (mode != Waiter.Mode.CONDITIONS && !conditions.isEmpty()) {
      throw new CliException(
          ExitCodes.USAGE, "--for delete/create cannot be combined with other conditions");
    }
    if (mode == Waiter.Mode.CONDITIONS && conditions.isEmpty()) {
      throw new CliException(
          ExitCodes.USAGE, "what to wait for is missing: give EXPR, --until, or --for");
    }
    Duration limit = timeout == null ? Duration.ofDays(3650) : Durations.parse(timeout);
    OutputFormat format = output == null ? null : OutputFormat.parse(output);
    if (apply && files.isEmpty()) throw new CliException(ExitCodes.USAGE, "--apply needs -f FILE");

    Division division = division();
    List<ResourceKey> keys = new ArrayList<>();
    if (!files.isEmpty()) {
      List<Document> docs = Manifests.read(files, div().in);
      if (apply) {
        for (ApplyResult r : division.apply(docs, namespace())) {
          out()
              .println(
                  r.resource().kind().toLowerCase(Locale.ROOT)
                      + "/"
                      + r.resource().name()
                      + " "
                      + r.outcome().verb());
          keys.add(r.resource().key());
        }
      } else {
        for (Resource r : division.prepare(docs, namespace())) keys.add(r.key());
      }
    } else {
      if (kind == null) throw new CliException(ExitCodes.USAGE, "give KIND NAME, or -f FILE");
      keys.add(KindAndName.resolve(division, namespace(), kind, name));
    }

    Interrupts.install();
    long deadline = System.nanoTime() + limit.toNanos();
    for (ResourceKey key : keys) {
      Waiter.Request request = new Waiter.Request(key, conditions, failures, mode, limit);
      WaitOutcome outcome =
          logs
              ? awaitWithLogs(division, request, deadline)
              : new Waiter(division.store())
                  .awaitUntil(request, deadline, r -> {}, Interrupts::requested);
      int code = report(division, key, outcome, format);
      if (code != ExitCodes.OK) return code;
    }
    return ExitCodes.OK;
  }

  private WaitOutcome awaitWithLogs(Division division, Waiter.Request request, long deadline)
      throws InterruptedException {
    AtomicBoolean done = new AtomicBoolean();
    AtomicReference<RuntimeException> failure = new AtomicReference<>();
    PrintStream err = err();
    LogFollower follower = new LogFollower(division.store(), request.key());
    Thread streamer =
        new Thread(
            () -> {
              try {
                follower.follow(
                    line -> err.println(line.text()), done::get, Duration.ofMillis(250));
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } catch (RuntimeException e) {
                failure.set(e);
              }
            },
            "div-wait-logs");
    streamer.start();
    try {
      return new Waiter(division.store())
          .awaitUntil(request, deadline, r -> {}, Interrupts::requested);
    } finally {
      // The last lines are often written just before the final status: drain them before exiting.
      done.set(true);
      streamer.join();
      err.flush();
      if (failure.get() != null) throw failure.get();
    }
  }

  private int report(Division division, ResourceKey key, WaitOutcome outcome, OutputFormat format) {
    String what = key.kind().toLowerCase(Locale.ROOT) + "/" + key.name();
    return switch (outcome.status()) {
      case MATCHED -> {
        if (format != null && outcome.resource() != null) {
          KindDefinition def = division.resolve(key.kind());
          new ResourcePrinter(out(), format, def, false).print(List.of(outcome.resource()), true);
        } else {
          out().println(what + (outcome.resource() == null ? " deleted" : " condition met"));
        }
        yield ExitCodes.OK;
      }
      case TIMED_OUT -> {
        if (Interrupts.requested())
          throw new CliException(ExitCodes.INTERRUPTED, "interrupted while waiting for " + what);
        throw new CliException(ExitCodes.TIMEOUT, outcome.message());
      }
      case FAILED -> throw new CliException(ExitCodes.FAILED, outcome.message());
      case DELETED -> throw new CliException(ExitCodes.ERROR, outcome.message());
    };
  }

  /** The original's {@code --until jsonql="..."}; the shell has already removed the quotes. */
  static String stripJsonql(String s) {
    String t = s.trim();
    if (t.startsWith("jsonql=")) t = t.substring("jsonql=".length()).trim();
    if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\""))
      t = t.substring(1, t.length() - 1);
    return t;
  }
}
