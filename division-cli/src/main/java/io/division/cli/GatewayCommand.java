package io.division.cli;

import io.division.core.deploy.Executor;
import io.division.core.deploy.Gateway;
import io.division.core.deploy.GatewayOptions;
import io.division.core.deploy.ProcessExecutor;
import io.division.core.time.Durations;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "gateway", description = "Run the reconciler for one cluster: Deployments to Releases to Installs.",
    footer = {"", "What runs comes only from this command line, never from the store: the store supplies the",
        "project, app, ref, cluster and namespace as the environment variables DIV_PROJECT, DIV_APP,",
        "DIV_REF, DIV_CLUSTER, DIV_NAMESPACE, DIV_INSTALL and DIV_ATTEMPT. SIGTERM or Ctrl-C stops it gracefully.",
        "", "Examples:", "  div gateway --cluster mycluster1 --executor process -- ./deploy.sh",
        "  div gateway --cluster prod-eu --project shop -- helmfile --environment prod apply"})
final class GatewayCommand extends DivSubcommand implements Callable<Integer> {
  enum ExecutorKind { process, kubernetes, brigade }

  @Option(names = "--cluster", required = true, paramLabel = "NAME", description = "The cluster this gateway serves.")
  String cluster;

  @Option(names = "--project", paramLabel = "PROJECT", description = "Serve only this project's deployments.")
  String project;

  @Option(names = "--executor", defaultValue = "process", paramLabel = "KIND", description = "process (default), kubernetes or brigade.")
  ExecutorKind executor;

  @Option(names = "--install-timeout", defaultValue = "30m", paramLabel = "DURATION", description = "Fail installs running longer (default: ${DEFAULT-VALUE}).")
  String installTimeout;

  @Option(names = "--watch-namespace", paramLabel = "NS", description = "Serve only this namespace (default: all).")
  String watchNamespace;

  @Option(names = "--heartbeat", defaultValue = "5s", paramLabel = "DURATION",
      description = "Heartbeat interval; the cluster lease lasts three (default: ${DEFAULT-VALUE}).")
  String heartbeat;

  @Parameters(paramLabel = "COMMAND", description = "After --: the command the process executor runs per install.")
  List<String> command = new ArrayList<>();

  @Override
  public Integer call() throws InterruptedException {
    GatewayOptions options = GatewayOptions.of(cluster).withProject(project).withNamespace(watchNamespace)
        .withInstallTimeout(Durations.parse(installTimeout)).withHeartbeat(Durations.parse(heartbeat));
    Executor ex = switch (executor) {
      case process -> new ProcessExecutor(command, Path.of("").toAbsolutePath());
      case kubernetes, brigade -> throw new CliException(ExitCodes.ERROR,
          "the " + executor + " executor is not available in this build: use --executor process");
    };
    Interrupts.install();
    new Gateway(division().store(), options, ex, line -> {
      err().println(line);
      err().flush();
    }, Clock.systemUTC()).run(Interrupts::requested);
    return ExitCodes.OK;
  }
}
