package io.division.cli;

import io.division.core.deploy.DeployRequest;
import io.division.core.deploy.DeployResult;
import io.division.core.deploy.DeployRunner;
import io.division.core.time.Durations;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "deploy",
    description = "Deploy a ref of a project's applications and follow it on every cluster.",
    footer = {
      "",
      "Writes each application's Deployment; the gateway in each cluster runs the install and streams its",
      "log back, prefixed [cluster app]. Ends with a summary; exit 0 only if every install succeeded",
      "(4 if one failed, 3 on timeout). A ref already installed is not run again unless --force.",
      "",
      "Examples:",
      "  div deploy --project mumoshu/microservices --app mumoshu/microservices/myapp1 --ref $COMMIT_ID",
      "  div deploy --project shop --ref v1.4.2 --cluster eu-1 --cluster us-1 --timeout 20m"
    })
final class DeployCommand extends DivSubcommand implements Callable<Integer> {
  @Option(
      names = "--project",
      required = true,
      paramLabel = "PROJECT",
      description = "Project, e.g. mumoshu/microservices.")
  String project;

  @Option(
      names = "--app",
      paramLabel = "APP",
      description = "Application; repeatable (default: every Application of the project).")
  List<String> apps = new ArrayList<>();

  @Option(
      names = "--ref",
      required = true,
      paramLabel = "REF",
      description = "Git ref, tag or version to deploy.")
  String ref;

  @Option(
      names = "--cluster",
      paramLabel = "CLUSTER",
      description = "Target cluster; repeatable (default: every cluster with a live gateway).")
  List<String> clusters = new ArrayList<>();

  @Option(
      names = "--timeout",
      defaultValue = "30m",
      paramLabel = "DURATION",
      description = "How long to follow (default: ${DEFAULT-VALUE}).")
  String timeout;

  @Option(names = "--no-wait", description = "Write the Deployments and return.")
  boolean noWait;

  @Option(
      names = "--force",
      description = "Run the install again even if this ref already succeeded.")
  boolean force;

  @Option(
      names = "--cluster-freshness",
      defaultValue = "1m",
      paramLabel = "DURATION",
      description =
          "How recent a gateway heartbeat must be for its cluster to be targeted (default: ${DEFAULT-VALUE}).")
  String freshness;

  @Override
  public Integer call() throws InterruptedException {
    DeployRequest request =
        new DeployRequest(
            project,
            apps,
            ref,
            clusters,
            namespace(),
            Durations.parse(timeout),
            noWait,
            force,
            Durations.parse(freshness));
    Interrupts.install();
    DeployResult result =
        new DeployRunner(division().store(), Clock.systemUTC())
            .deploy(request, out(), Interrupts::requested);
    if (result.status() == DeployResult.Status.SUBMITTED) return ExitCodes.OK;
    out().println();
    out().print(result.table());
    out().flush();
    return switch (result.status()) {
      case SUCCEEDED, SUBMITTED -> ExitCodes.OK;
      case FAILED ->
          throw new CliException(
              ExitCodes.FAILED, "deploy of " + ref + " failed on " + failedTargets(result));
      case TIMED_OUT -> {
        if (Interrupts.requested())
          throw new CliException(
              ExitCodes.INTERRUPTED, "interrupted while following the deploy of " + ref);
        throw new CliException(
            ExitCodes.TIMEOUT, "deploy of " + ref + " timed out after " + timeout);
      }
    };
  }

  private static String failedTargets(DeployResult result) {
    return String.join(
        ", ",
        result.targets().stream()
            .filter(t -> !"Succeeded".equals(t.phase()))
            .map(t -> t.app() + " on " + t.cluster())
            .toList());
  }
}
