package io.division.cli;

import io.division.core.DivisionException;
import io.division.core.deploy.DeployProgress;
import io.division.core.deploy.DeployRequest;
import io.division.core.deploy.DeploySubmission;
import io.division.core.deploy.Deployer;
import io.division.core.deploy.status.DeploymentSpec;
import io.division.core.store.Store;
import io.division.core.time.Durations;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** Parses, submits, then loops over core's non-blocking advance, printing what each pass saw. */
final class DeployCommand extends DivSubcommand implements Callable<Integer> {
  /** CI systems kill jobs that stay silent: a progress line on stderr this often. */
  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(30);

  /** The longest a pass waits for the store's change signal before looking again. */
  private static final Duration POLL_CAP = Duration.ofMillis(250);

  String project;
  List<String> apps = new ArrayList<>();
  String ref;
  List<String> clusters = new ArrayList<>();
  String timeout;
  boolean noWait;
  boolean force;
  boolean cancel;
  String freshness;

  @Override
  CommandModel declare() {
    return command(
            "deploy", "Deploy a ref of a project's applications and follow it on every cluster.")
        .footer(
            "",
            "Writes each application's Deployment; the gateway in each cluster runs the install and streams its",
            "log back, prefixed [cluster app]. Ends with a summary; exit 0 only if every install succeeded",
            "(4 if one failed, 3 on timeout, 130 on Ctrl-C, 143 on SIGTERM). A ref already installed is not",
            "run again unless --force. A deploy that timed out or was interrupted is withdrawn: no gateway",
            "starts it later. --cancel withdraws the current deploy of the applications from anywhere.",
            "",
            "Examples:",
            "  div deploy --project mumoshu/microservices --app mumoshu/microservices/myapp1 --ref $COMMIT_ID",
            "  div deploy --project shop --ref v1.4.2 --cluster eu-1 --cluster us-1 --timeout 20m",
            "  div deploy --project shop --cancel")
        .option("--project", "PROJECT", "Project, e.g. mumoshu/microservices.", v -> project = v)
        .required()
        .optionList(
            "--app",
            "APP",
            "Application; repeatable (default: every Application of the project).",
            v -> apps = v)
        .option("--ref", "REF", "Git ref, tag or version to deploy.", v -> ref = v)
        .optionList(
            "--cluster",
            "CLUSTER",
            "Target cluster; repeatable (default: every cluster with a live gateway).",
            v -> clusters = v)
        .option(
            "--timeout",
            "DURATION",
            "How long to follow; no gateway starts the deploy after it (default: ${DEFAULT-VALUE}).",
            v -> timeout = v)
        .defaultValue("30m")
        .flag("--no-wait", "Write the Deployments and return.", v -> noWait = v)
        .flag(
            "--force", "Run the install again even if this ref already succeeded.", v -> force = v)
        .flag(
            "--cancel",
            "Withdraw the current deploy of the applications: gateways that have not started it never will.",
            v -> cancel = v)
        .option(
            "--cluster-freshness",
            "DURATION",
            "How recent a gateway heartbeat must be for its cluster to be targeted (default: ${DEFAULT-VALUE}).",
            v -> freshness = v)
        .defaultValue("1m");
  }

  @Override
  public Integer call() throws InterruptedException {
    if (cancel) return cancel();
    if (ref == null)
      throw new CliException(ExitCodes.USAGE, "--ref is required (or --cancel to withdraw one)");
    DeployRequest request =
        DeployRequest.builder()
            .project(project)
            .apps(apps)
            .ref(ref)
            .clusters(clusters)
            .namespace(namespace())
            .timeout(Durations.parse(timeout))
            .force(force)
            .clusterFreshness(Durations.parse(freshness))
            .build();
    Store store = division().store();
    Deployer deployer = new Deployer(store, Clock.systemUTC());
    DeploySubmission submission;
    try {
      submission = deployer.submit(request);
    } catch (DivisionException e) {
      if (Deployer.NO_LIVE_CLUSTER.equals(e.subject()))
        throw new CliException(
            ExitCodes.ERROR,
            e.getMessage() + " (div gateway --cluster NAME starts one; --cluster names one)");
      throw e;
    }
    printWanted(submission);
    if (noWait) return ExitCodes.OK;

    Interrupts.install();
    err().println("following " + describe(submission));
    long nextProgress = System.nanoTime() + PROGRESS_EVERY.toNanos();
    DeployProgress progress;
    while (true) {
      long mark = store.changeMark();
      progress = deployer.advance(submission);
      submission = progress.submission();
      for (DeployProgress.Line line : progress.lines()) out().println(hinted(line));
      out().flush();
      if (progress.state().ended()) break;
      if (Interrupts.requested()) {
        deployer.cancel(submission);
        printTable(progress);
        // 130 after Ctrl-C, 143 after SIGTERM (what CI sends when a job is cancelled).
        throw new CliException(
            Interrupts.exitCode(),
            Interrupts.reason()
                + " while following the deploy of "
                + ref
                + "; withdrawn where it had not started");
      }
      if (System.nanoTime() >= nextProgress) {
        err().println(progress.describe());
        nextProgress = System.nanoTime() + PROGRESS_EVERY.toNanos();
      }
      store.awaitChange(mark, POLL_CAP);
    }
    // A deploy that timed out is withdrawn too: the gateway also refuses it past its deadline,
    // this makes it so even when the clocks disagree.
    if (progress.state() == DeployProgress.State.TIMED_OUT) deployer.cancel(submission);
    printTable(progress);
    DivisionException failure = progress.failure();
    if (failure != null) throw failure;
    return ExitCodes.OK;
  }

  private int cancel() {
    if (ref != null || noWait || force || !clusters.isEmpty())
      throw new CliException(
          ExitCodes.USAGE, "--cancel takes only --project and --app: it withdraws what is asked");
    List<DeploymentSpec> cancelled =
        new Deployer(division().store(), Clock.systemUTC())
            .cancelCurrent(namespace(), project, apps);
    if (cancelled.isEmpty()) out().println("nothing to cancel: no deploy is pending");
    for (DeploymentSpec d : cancelled)
      out().println("deployment/" + d.app() + " cancelled its deploy of " + d.ref());
    return ExitCodes.OK;
  }

  private void printWanted(DeploySubmission submission) {
    Map<String, List<String>> byApp = new LinkedHashMap<>();
    for (DeploySubmission.Target t : submission.targets())
      byApp.computeIfAbsent(t.app(), a -> new ArrayList<>()).add(t.cluster());
    byApp.forEach(
        (app, on) ->
            out()
                .println(
                    "deployment/"
                        + app
                        + " wants "
                        + submission.ref()
                        + " on "
                        + String.join(", ", on)
                        + (force ? " (forced)" : "")));
  }

  private static String describe(DeploySubmission submission) {
    List<String> targets = new ArrayList<>();
    for (DeploySubmission.Target t : submission.targets())
      targets.add(t.app() + " on " + t.cluster());
    return "the deploy of "
        + submission.ref()
        + ": "
        + String.join(", ", targets)
        + " (until "
        + submission.deadline()
        + ")";
  }

  /** Core says which gateway is silent; the CLI adds how to start one. */
  private static String hinted(DeployProgress.Line line) {
    String text = line.prefixed();
    if (line.text().startsWith("no answer yet from the gateway of cluster"))
      text += " (is `div gateway --cluster " + line.cluster() + "` running?)";
    return text;
  }

  private void printTable(DeployProgress progress) {
    out().println();
    out().print(progress.table());
    out().flush();
  }
}
