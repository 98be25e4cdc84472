package io.division.cli;

import io.division.core.DivisionException;
import io.division.core.time.Durations;
import io.division.gateway.GatewayRunner;
import io.division.gateway.GatewaySettings;
import io.division.gateway.GatewaySettings.ExecutorKind;
import java.nio.file.Path;
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
      defaultValue = GatewaySettings.DEFAULT_HEALTH_ADDRESS,
      paramLabel = "ADDRESS",
      description =
          "Address for --health-port (default: ${DEFAULT-VALUE}; 0.0.0.0 for probes from outside the host).")
  String healthAddress;

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      description =
          "process: where the gateway records the commands it started, so that a restarted gateway"
              + " finds them (default: gateway/CLUSTER under the Division home).")
  Path stateDir;

  @Parameters(
      paramLabel = "COMMAND",
      description = "After --: the command the process executor runs per install.")
  List<String> command = new ArrayList<>();

  @Override
  public Integer call() throws InterruptedException, java.io.IOException {
    GatewaySettings settings;
    try {
      settings =
          GatewaySettings.builder(cluster)
              .project(project)
              .watchNamespace(watchNamespace)
              .installTimeout(Durations.parse(installTimeout))
              .heartbeat(Durations.parse(heartbeat))
              .executor(executor)
              .command(command)
              .workingDir(Path.of("").toAbsolutePath())
              .stateDir(stateDir)
              .jobTemplate(jobTemplate)
              .brigadeNamespace(brigadeNamespace)
              .brigadeScript(brigadeScript)
              .brigadeProject(brigadeProject)
              .healthPort(healthPort)
              .healthAddress(healthAddress)
              .build();
    } catch (DivisionException e) {
      throw new CliException(ExitCodes.USAGE, e.getMessage());
    }
    Interrupts.install();
    GatewayRunner.run(
        settings,
        division(),
        line -> {
          err().println(line);
          err().flush();
        },
        Interrupts::requested);
    return ExitCodes.OK;
  }
}
