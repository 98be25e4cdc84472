package io.division.cli;

import io.division.core.Division;
import io.division.core.DivisionException;
import io.division.core.config.DivConfig;
import io.division.core.model.Messages;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/**
 * The {@code div} command. Testable in-process: {@link #run} takes its streams and environment and
 * returns the exit code; errors become one line on stderr and an exit code here, and only here.
 */
public final class Div implements Runnable {
  final PrintStream out;
  final PrintStream err;
  final InputStream in;
  final Map<String, String> env;

  Path config;
  String namespace;
  private CommandLine commandLine;

  private Division division;

  public Div(PrintStream out, PrintStream err, InputStream in, Map<String, String> env) {
    this.out = out;
    this.err = err;
    this.in = in;
    this.env = env;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(commandLine, "a command is required");
  }

  public int run(String... args) {
    args = CliShorthands.expand(args);
    String name = commandName(args);
    StoreWarmup.startIfUseful(name, args, env);
    CommandLine cl = commandLine(name);
    StartupTrace.mark("picocli model built");
    try {
      return cl.execute(args);
    } finally {
      if (division != null) division.close();
      out.flush();
      err.flush();
      StartupTrace.mark("store closed, output flushed");
    }
  }

  /** Every command, in the order help lists them. */
  private static final List<String> COMMANDS =
      List.of(
          "get",
          "describe",
          "apply",
          "diff",
          "delete",
          "patch",
          "wait",
          "logs",
          "approve",
          "reject",
          "approvals",
          "deploy",
          "gateway",
          "gen",
          "init",
          "config",
          "template",
          "version",
          "completion",
          "help",
          "__complete");

  /**
   * A new instance of one command. A switch rather than a map of constructor references: linking
   * each reference loads its command's class, and a short call should load only its own.
   */
  private static Object newCommand(String name) {
    return switch (name) {
      case "get" -> new GetCommand();
      case "describe" -> new DescribeCommand();
      case "apply" -> new ApplyCommand();
      case "diff" -> new DiffCommand();
      case "delete" -> new DeleteCommand();
      case "patch" -> new PatchCommand();
      case "wait" -> new WaitCommand();
      case "logs" -> new LogsCommand();
      case "approve" -> new DecideCommand.Approve();
      case "reject" -> new DecideCommand.Reject();
      case "approvals" -> new ApprovalsCommand();
      case "deploy" -> new DeployCommand();
      case "gateway" -> new GatewayCommand();
      case "gen" -> new GenCommand();
      case "init" -> new InitCommand();
      case "config" -> new ConfigCommand();
      case "template" -> new TemplateCommand();
      case "version" -> new VersionCommand();
      case "completion" -> new CompletionCommand();
      case "help" -> new CommandLine.HelpCommand();
      case "__complete" -> new CompleteCommand();
      default -> throw new IllegalArgumentException("no command " + name);
    };
  }

  CommandLine commandLine() {
    return commandLine(null);
  }

  /**
   * Builds the command tree, declared in code (see {@link CommandModel}). When the command is known
   * from the arguments, only that one is built: a short call loads no other command's classes.
   */
  private CommandLine commandLine(String only) {
    CommandModel model =
        new CommandModel(
                this,
                "div",
                "A kubectl-like CLI for the Division store: resources, watches, waits, logs and deploys.")
            .subcommandLabels("COMMAND", "%nCommands:%n")
            .footer(
                "",
                "Exit codes: 0 success, 1 error, 2 usage error, 3 timeout, 4 failed condition or deploy, 130 interrupted.")
            .option(
                "--config",
                "FILE",
                "div.yaml to use (default: $DIV_CONFIG, then ./div.yaml, then the embedded store under $DIVISION_HOME).",
                Path.class,
                v -> config = v)
            .inherited()
            .option(
                "-n, --namespace",
                "NS",
                "Namespace (default: $DIV_NAMESPACE, else 'default').",
                v -> namespace = v)
            .inherited()
            .helpOption();
    if (only != null
        && COMMANDS.contains(only)
        && !only.equals("help")
        && !only.equals("completion")) {
      model.subcommand(newCommand(only));
    } else {
      for (String name : COMMANDS) model.subcommand(newCommand(name));
    }
    CommandLine cl = new CommandLine(model.build());
    commandLine = cl;
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setExecutionExceptionHandler((ex, cmd, parsed) -> report(ex));
    if (StartupTrace.ON) {
      cl.setExecutionStrategy(
          parsed -> {
            StartupTrace.mark("arguments parsed");
            return new CommandLine.RunLast().execute(parsed);
          });
    }
    cl.setParameterExceptionHandler(
        (ex, args) -> {
          String name = ex.getCommandLine().getCommandSpec().qualifiedName();
          err.println("error: " + CliShorthands.message(ex) + " (see '" + name + " --help')");
          return ExitCodes.USAGE;
        });
    HelpLayout.apply(cl, env);
    return cl;
  }

  /** The first argument that is not a root option or its value: the command's name. */
  private static String commandName(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--config") || a.equals("-n") || a.equals("--namespace")) {
        i++;
      } else if (!a.startsWith("-")) {
        return a;
      }
    }
    return null;
  }

  private int report(Exception ex) {
    if (ex instanceof CliException c) {
      printError(c.getMessage());
      return c.exitCode();
    }
    if (ex instanceof DivisionException d) {
      printError(d.getMessage());
      return ExitCodes.of(d.reason());
    }
    if (ex instanceof IllegalArgumentException || ex instanceof UncheckedIOException) {
      // Bad input caught by the JDK (a number, a pattern) or an unreadable file.
      printError(ex.getMessage());
      return ExitCodes.ERROR;
    }
    if (ex instanceof InterruptedException) {
      Thread.currentThread().interrupt();
      return ExitCodes.ERROR;
    }
    // A bug: one line for the user, the trace for whoever debugs it.
    err.println(
        "error: internal error: "
            + ex
            + (env.containsKey("DIV_DEBUG") ? "" : " (set DIV_DEBUG=1 for the stack trace)"));
    if (env.containsKey("DIV_DEBUG")) ex.printStackTrace(err);
    return ExitCodes.ERROR;
  }

  /** One line whatever the message holds: a name with a newline or an escape cannot break it. */
  private void printError(String message) {
    err.println("error: " + Messages.escapeControls(message));
  }

  /** Opened on first use, so that commands that need no store never open one. */
  Division division() {
    if (division == null) {
      StartupTrace.mark("command running, store wanted");
      DivConfig found = DivConfig.discover(config, env, Path.of("").toAbsolutePath());
      StartupTrace.mark("configuration found");
      division = Division.open(found);
      StartupTrace.mark("store open");
    }
    return division;
  }

  String namespace() {
    if (namespace != null && !namespace.isBlank()) return namespace;
    String fromEnv = env.get("DIV_NAMESPACE");
    return fromEnv != null && !fromEnv.isBlank() ? fromEnv : Division.DEFAULT_NAMESPACE;
  }
}
