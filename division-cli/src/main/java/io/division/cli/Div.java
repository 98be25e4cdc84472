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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code div} command. Testable in-process: {@link #run} takes its streams and environment and
 * returns the exit code; errors become one line on stderr and an exit code here, and only here.
 */
@Command(
    name = "div",
    description =
        "A kubectl-like CLI for the Division store: resources, watches, waits, logs and deploys.",
    synopsisSubcommandLabel = "COMMAND",
    commandListHeading = "%nCommands:%n",
    footer = {
      "",
      "Exit codes: 0 success, 1 error, 2 usage error, 3 timeout, 4 failed condition or deploy, 130 interrupted."
    })
public final class Div implements Runnable {
  final PrintStream out;
  final PrintStream err;
  final InputStream in;
  final Map<String, String> env;

  @Option(
      names = "--config",
      scope = ScopeType.INHERIT,
      paramLabel = "FILE",
      description =
          "div.yaml to use (default: $DIV_CONFIG, then ./div.yaml, then the embedded store under $DIVISION_HOME).")
  Path config;

  @Option(
      names = {"-n", "--namespace"},
      scope = ScopeType.INHERIT,
      paramLabel = "NS",
      description = "Namespace (default: $DIV_NAMESPACE, else 'default').")
  String namespace;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help.")
  boolean help;

  private Division division;

  public Div(PrintStream out, PrintStream err, InputStream in, Map<String, String> env) {
    this.out = out;
    this.err = err;
    this.in = in;
    this.env = env;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(new CommandLine(this), "a command is required");
  }

  public int run(String... args) {
    args = CliShorthands.expand(args);
    CommandLine cl = commandLine(commandName(args));
    try {
      return cl.execute(args);
    } finally {
      if (division != null) division.close();
      out.flush();
      err.flush();
    }
  }

  /** Every command, in the order help lists them. */
  private static final Map<String, Supplier<Object>> COMMANDS = new LinkedHashMap<>();

  static {
    COMMANDS.put("get", GetCommand::new);
    COMMANDS.put("describe", DescribeCommand::new);
    COMMANDS.put("apply", ApplyCommand::new);
    COMMANDS.put("diff", DiffCommand::new);
    COMMANDS.put("delete", DeleteCommand::new);
    COMMANDS.put("patch", PatchCommand::new);
    COMMANDS.put("wait", WaitCommand::new);
    COMMANDS.put("logs", LogsCommand::new);
    COMMANDS.put("approve", DecideCommand.Approve::new);
    COMMANDS.put("reject", DecideCommand.Reject::new);
    COMMANDS.put("approvals", ApprovalsCommand::new);
    COMMANDS.put("deploy", DeployCommand::new);
    COMMANDS.put("gateway", GatewayCommand::new);
    COMMANDS.put("gen", GenCommand::new);
    COMMANDS.put("init", InitCommand::new);
    COMMANDS.put("config", ConfigCommand::new);
    COMMANDS.put("template", TemplateCommand::new);
    COMMANDS.put("version", VersionCommand::new);
    COMMANDS.put("completion", CompletionCommand::new);
    COMMANDS.put("help", CommandLine.HelpCommand::new);
    COMMANDS.put("__complete", CompleteCommand::new);
  }

  CommandLine commandLine() {
    return commandLine(null);
  }

  /**
   * Builds the command tree. picocli reflects over every command it is given, a good part of a
   * short call's start-up; when the command is known from the arguments, only that one is built.
   */
  private CommandLine commandLine(String only) {
    CommandLine cl = new CommandLine(this);
    if (only != null
        && COMMANDS.containsKey(only)
        && !only.equals("help")
        && !only.equals("completion")) {
      cl.addSubcommand(only, COMMANDS.get(only).get());
    } else {
      COMMANDS.forEach((name, command) -> cl.addSubcommand(name, command.get()));
    }
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setExecutionExceptionHandler((ex, cmd, parsed) -> report(ex));
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
      division = Division.open(DivConfig.discover(config, env, Path.of("").toAbsolutePath()));
    }
    return division;
  }

  String namespace() {
    if (namespace != null && !namespace.isBlank()) return namespace;
    String fromEnv = env.get("DIV_NAMESPACE");
    return fromEnv != null && !fromEnv.isBlank() ? fromEnv : Division.DEFAULT_NAMESPACE;
  }
}
