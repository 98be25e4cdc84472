package io.division.gateway;

import io.division.core.Division;
import io.division.core.DivisionException;
import io.division.core.config.DivConfig;
import io.division.core.model.Messages;
import io.division.core.time.Durations;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The gateway's own entry point, which the container image runs: {@code java -cp ...
 * io.division.gateway.GatewayMain --cluster NAME [options] [-- COMMAND ARGS...]}. It takes the same
 * options as {@code div gateway}, plus {@code --config FILE} (else {@code DIV_CONFIG}, then {@code
 * ./div.yaml}). SIGTERM or SIGINT stops it gracefully with exit code 0; a bad command line exits 2,
 * any other error 1.
 */
public final class GatewayMain {
  /** Every option {@code div gateway} has, by its long name, each taking one value. */
  public static final Set<String> OPTIONS =
      Set.of(
          "--cluster",
          "--project",
          "--executor",
          "--install-timeout",
          "--watch-namespace",
          "--heartbeat",
          "--job-template",
          "--brigade-namespace",
          "--brigade-script",
          "--brigade-project",
          "--health-port",
          "--health-address",
          "--state-dir");

  static final String USAGE =
      """
      Usage: GatewayMain --cluster NAME [--project PROJECT] [--executor process|kubernetes|brigade]
                         [--install-timeout DURATION] [--watch-namespace NS] [--heartbeat DURATION]
                         [--job-template FILE] [--brigade-namespace NS] [--brigade-script FILE]
                         [--brigade-project NAME] [--health-port PORT] [--health-address ADDRESS]
                         [--state-dir DIR] [--config FILE] [-- COMMAND ARGS...]
      The same options as `div gateway` (see `div gateway --help`).
      """;

  private GatewayMain() {}

  /** A parsed command line: the settings, and the configuration file if one was named. */
  record Arguments(GatewaySettings settings, Path config, boolean help) {}

  public static void main(String[] args) {
    System.exit(run(args, System.err));
  }

  static int run(String[] args, PrintStream err) {
    Arguments parsed;
    try {
      parsed = parse(args);
    } catch (DivisionException e) {
      err.println("error: " + Messages.oneLine(e.getMessage()));
      err.print(USAGE);
      return 2;
    }
    if (parsed.help()) {
      err.print(USAGE);
      return 0;
    }
    StopSignals stop = StopSignals.install();
    try (Division division =
        Division.open(
            DivConfig.discover(parsed.config(), System.getenv(), Path.of("").toAbsolutePath()))) {
      GatewayRunner.run(
          parsed.settings(),
          division,
          line -> {
            err.println(line);
            err.flush();
          },
          stop::requested);
      return 0;
    } catch (DivisionException e) {
      err.println("error: " + Messages.oneLine(e.getMessage()));
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 130;
    } catch (java.io.IOException e) {
      err.println("error: " + Messages.oneLine(e.getMessage()));
      return 1;
    }
  }

  static Arguments parse(String[] args) {
    String cluster = null;
    GatewaySettings.Builder b = null;
    List<String[]> options = new ArrayList<>();
    List<String> command = new ArrayList<>();
    Path config = null;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("-h") || a.equals("--help")) return new Arguments(null, null, true);
      if (a.equals("--")) {
        command.addAll(List.of(args).subList(i + 1, args.length));
        break;
      }
      if (!a.startsWith("-")) {
        command.addAll(List.of(args).subList(i, args.length));
        break;
      }
      String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
      String value;
      if (a.contains("=")) value = a.substring(a.indexOf('=') + 1);
      else if (i + 1 < args.length) value = args[++i];
      else throw DivisionException.invalid("option " + name + " needs a value");
      if (name.equals("--config")) config = Path.of(value);
      else if (name.equals("--cluster")) cluster = value;
      else if (OPTIONS.contains(name)) options.add(new String[] {name, value});
      else throw DivisionException.invalid("unknown option " + Messages.quote(name));
    }
    if (cluster == null) throw DivisionException.invalid("--cluster NAME is required");
    b = GatewaySettings.builder(cluster).command(command);
    for (String[] o : options) apply(b, o[0], o[1]);
    return new Arguments(b.build(), config, false);
  }

  private static void apply(GatewaySettings.Builder b, String name, String value) {
    switch (name) {
      case "--project" -> b.project(value);
      case "--executor" -> b.executor(executorKind(value));
      case "--install-timeout" -> b.installTimeout(Durations.parse(value));
      case "--watch-namespace" -> b.watchNamespace(value);
      case "--heartbeat" -> b.heartbeat(Durations.parse(value));
      case "--job-template" -> b.jobTemplate(Path.of(value));
      case "--brigade-namespace" -> b.brigadeNamespace(value);
      case "--brigade-script" -> b.brigadeScript(Path.of(value));
      case "--brigade-project" -> b.brigadeProject(value);
      case "--health-port" -> b.healthPort(port(value));
      case "--health-address" -> b.healthAddress(value);
      case "--state-dir" -> b.stateDir(Path.of(value));
      default -> throw DivisionException.invalid("unknown option " + Messages.quote(name));
    }
  }

  private static GatewaySettings.ExecutorKind executorKind(String value) {
    try {
      return GatewaySettings.ExecutorKind.valueOf(value);
    } catch (IllegalArgumentException e) {
      throw DivisionException.invalid(
          "--executor " + Messages.quote(value) + ": expected process, kubernetes or brigade");
    }
  }

  private static int port(String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw DivisionException.invalid(
          "--health-port " + Messages.quote(value) + " is not a number");
    }
  }

  /** SIGTERM and SIGINT ask for a graceful stop instead of ending the JVM at once. */
  static final class StopSignals {
    private volatile boolean requested;

    static StopSignals install() {
      StopSignals s = new StopSignals();
      for (String name : List.of("TERM", "INT")) {
        try {
          sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> s.requested = true);
        } catch (IllegalArgumentException e) {
          // not allowed on this platform: the JVM's default applies
        }
      }
      return s;
    }

    boolean requested() {
      return requested;
    }
  }
}
