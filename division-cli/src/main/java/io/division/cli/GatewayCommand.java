package io.division.cli;

import io.division.core.deploy.Executor;
import io.division.core.deploy.Gateway;
import io.division.core.deploy.GatewayOptions;
import io.division.core.deploy.ProcessExecutor;
import io.division.core.time.Durations;
import io.division.gateway.HealthServer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "gateway",
    description = "Run the reconciler for one cluster: Deployments to Releases to Installs.",
    footer = {
      "",
      "What runs comes only from this command line, never from the store: the store supplies the",
      "project, app, ref, cluster and namespace as the environment variables DIV_PROJECT, DIV_APP,",
      "DIV_REF, DIV_CLUSTER, DIV_NAMESPACE, DIV_INSTALL and DIV_ATTEMPT. SIGTERM or Ctrl-C stops it gracefully.",
      "",
      "Examples:",
      "  div gateway --cluster mycluster1 --executor process -- ./deploy.sh",
      "  div gateway --cluster prod-eu --project shop -- helmfile --environment prod apply"
    })
final class GatewayCommand extends DivSubcommand implements Callable<Integer> {
  enum ExecutorKind {
    process,
    kubernetes,
    brigade
  }

  @Option(
      names = "--cluster",
      required = true,
      paramLabel = "NAME",
      description = "The cluster this gateway serves.")
  String cluster;

  @Option(
      names = "--project",
      paramLabel = "PROJECT",
      description = "Serve only this project's deployments.")
  String project;

  @Option(
      names = "--executor",
      defaultValue = "process",
      paramLabel = "KIND",
      description = "process (default), kubernetes or brigade.")
  ExecutorKind executor;

  @Option(
      names = "--install-timeout",
      defaultValue = "30m",
      paramLabel = "DURATION",
      description = "Fail installs running longer (default: ${DEFAULT-VALUE}).")
  String installTimeout;

  @Option(
      names = "--watch-namespace",
      paramLabel = "NS",
      description = "Serve only this namespace (default: all).")
  String watchNamespace;

  @Option(
      names = "--heartbeat",
      defaultValue = "5s",
      paramLabel = "DURATION",
      description =
          "Heartbeat interval; the cluster lease lasts three (default: ${DEFAULT-VALUE}).")
  String heartbeat;

  @Option(
      names = "--job-template",
      paramLabel = "FILE",
      description =
          "kubernetes: the Job template (image, command, args, env, serviceAccountName, resources).")
  Path jobTemplate;

  @Option(
      names = "--brigade-namespace",
      paramLabel = "NS",
      description = "brigade: where the Brigade v1 controller runs (default: default).")
  String brigadeNamespace;

  @Option(
      names = "--brigade-script",
      paramLabel = "FILE",
      description = "brigade: the brigade.js to run.")
  Path brigadeScript;

  @Option(
      names = "--brigade-project",
      paramLabel = "NAME",
      description = "brigade: the Brigade project name (default: the install's project).")
  String brigadeProject;

  @Option(
      names = "--health-port",
      defaultValue = "-1",
      paramLabel = "PORT",
      description = "Serve /healthz and /metrics on this port (default: off).")
  int healthPort;

  @Option(
      names = "--health-address",
      defaultValue = "0.0.0.0",
      paramLabel = "ADDRESS",
      description = "Address for --health-port (default: ${DEFAULT-VALUE}).")
  String healthAddress;

  @Parameters(
      paramLabel = "COMMAND",
      description = "After --: the command the process executor runs per install.")
  List<String> command = new ArrayList<>();

  @Override
  public Integer call() throws InterruptedException, java.io.IOException {
    GatewayOptions options =
        GatewayOptions.of(cluster)
            .withProject(project)
            .withNamespace(watchNamespace)
            .withInstallTimeout(Durations.parse(installTimeout))
            .withHeartbeat(Durations.parse(heartbeat));
    if (executor != ExecutorKind.process && !command.isEmpty()) {
      throw new CliException(
          ExitCodes.USAGE,
          "a COMMAND is for the process executor only; the "
              + executor
              + " executor takes its own configuration");
    }
    Executor ex =
        switch (executor) {
          case process -> new ProcessExecutor(command, Path.of("").toAbsolutePath());
          case kubernetes -> io.division.gateway.Executors.kubernetes(jobTemplate);
          case brigade ->
              io.division.gateway.Executors.brigade(
                  brigadeNamespace, brigadeScript, brigadeProject);
        };
    Interrupts.install();
    Gateway gateway =
        new Gateway(
            division().store(),
            options,
            ex,
            line -> {
              err().println(line);
              err().flush();
            },
            Clock.systemUTC());
    HealthServer health = null;
    try {
      if (healthPort >= 0) {
        health = new HealthServer(gateway, healthAddress, healthPort);
        err().println("serving /healthz and /metrics on " + healthAddress + ":" + health.port());
      }
      gateway.run(Interrupts::requested);
    } finally {
      if (health != null) health.close();
    }
    return ExitCodes.OK;
  }
}
