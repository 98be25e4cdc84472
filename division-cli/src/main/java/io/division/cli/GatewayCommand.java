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

final class GatewayCommand extends DivSubcommand implements Callable<Integer> {
  String cluster;
  String project;
  ExecutorKind executor;
  String installTimeout;
  String watchNamespace;
  String heartbeat;
  Path jobTemplate;
  String brigadeNamespace;
  Path brigadeScript;
  String brigadeProject;
  int healthPort;
  String healthAddress;
  Path stateDir;
  List<String> command = new ArrayList<>();

  @Override
  CommandModel declare() {
    return command(
            "gateway", "Run the reconciler for one cluster: Deployments to Releases to Installs.")
        .footer(
            "",
            "What runs comes only from this command line, never from the store: the store supplies the",
            "project, app, ref, cluster and namespace as the environment variables DIV_PROJECT, DIV_APP,",
            "DIV_REF, DIV_CLUSTER, DIV_NAMESPACE, DIV_INSTALL and DIV_ATTEMPT. SIGTERM or Ctrl-C stops it gracefully.",
            "",
            "Examples:",
            "  div gateway --cluster mycluster1 --executor process -- ./deploy.sh",
            "  div gateway --cluster prod-eu --project shop -- helmfile --environment prod apply")
        .option("--cluster", "NAME", "The cluster this gateway serves.", v -> cluster = v)
        .required()
        .option("--project", "PROJECT", "Serve only this project's deployments.", v -> project = v)
        .option(
            "--executor",
            "KIND",
            "process (default), kubernetes or brigade.",
            ExecutorKind.class,
            v -> executor = v)
        .defaultValue("process")
        .option(
            "--install-timeout",
            "DURATION",
            "Fail installs running longer (default: ${DEFAULT-VALUE}).",
            v -> installTimeout = v)
        .defaultValue("30m")
        .option(
            "--watch-namespace",
            "NS",
            "Serve only this namespace (default: all).",
            v -> watchNamespace = v)
        .option(
            "--heartbeat",
            "DURATION",
            "Heartbeat interval; the cluster lease lasts three (default: ${DEFAULT-VALUE}).",
            v -> heartbeat = v)
        .defaultValue("5s")
        .option(
            "--job-template",
            "FILE",
            "kubernetes: the Job template (image, command, args, env, serviceAccountName, resources).",
            Path.class,
            v -> jobTemplate = v)
        .option(
            "--brigade-namespace",
            "NS",
            "brigade: where the Brigade v1 controller runs (default: default).",
            v -> brigadeNamespace = v)
        .option(
            "--brigade-script",
            "FILE",
            "brigade: the brigade.js to run.",
            Path.class,
            v -> brigadeScript = v)
        .option(
            "--brigade-project",
            "NAME",
            "brigade: the Brigade project name (default: the install's project).",
            v -> brigadeProject = v)
        .option(
            "--health-port",
            "PORT",
            "Serve /healthz and /metrics on this port (default: off).",
            Integer.class,
            v -> healthPort = v)
        .defaultValue("-1")
        .option(
            "--health-address",
            "ADDRESS",
            "Address for --health-port (default: ${DEFAULT-VALUE}; 0.0.0.0 for probes from outside the host).",
            v -> healthAddress = v)
        .defaultValue(GatewaySettings.DEFAULT_HEALTH_ADDRESS)
        .option(
            "--state-dir",
            "DIR",
            "process: where the gateway records the commands it started, so that a restarted gateway"
                + " finds them (default: gateway/CLUSTER under the Division home).",
            Path.class,
            v -> stateDir = v)
        .positionalList(
            "0..*",
            "COMMAND",
            "After --: the command the process executor runs per install.",
            v -> command = v);
  }

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
