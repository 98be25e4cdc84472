package io.division.jenkins;

import hudson.model.Run;
import io.division.core.DivisionException;
import io.division.core.deploy.DeployProgress;
import io.division.core.deploy.DeployRequest;
import io.division.core.deploy.DeploySubmission;
import io.division.core.deploy.Deployer;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/**
 * The running {@code divDeploy}: submits once, then advances the submission one non-blocking pass
 * at a time on the Timer (quickly while something happens, backing off to {@link #SLOWEST} when
 * quiet). Persisted: the request and, once submitted, the submission with its per-target log
 * cursors, so a restarted controller carries on without repeating or losing log lines (up to the
 * last save).
 */
final class DivDeployExecution extends TimerStepExecution {
  private static final long serialVersionUID = 1L;
  static final Duration FASTEST = Duration.ofMillis(250);
  static final Duration SLOWEST = Duration.ofSeconds(5);
  static final Duration PROGRESS_EVERY = Duration.ofMinutes(5);
  static final Duration SAVE_EVERY = Duration.ofSeconds(15);

  private final StoreChoice store;
  private final String project;
  private final List<String> apps;
  private final String ref;
  private final List<String> clusters;
  private final Duration timeout;
  private final boolean force;
  private volatile DeploySubmission submission;
  private volatile String lastDescription;

  private transient Duration delay;
  private transient Instant lastSave;
  private transient Instant lastProgress;

  DivDeployExecution(
      StepContext context,
      StoreChoice store,
      String project,
      List<String> apps,
      String ref,
      List<String> clusters,
      Duration timeout,
      boolean force) {
    super(context);
    this.store = store;
    this.project = project;
    this.apps = List.copyOf(apps);
    this.ref = ref;
    this.clusters = List.copyOf(clusters);
    this.timeout = timeout;
    this.force = force;
  }

  DeploySubmission submission() {
    return submission;
  }

  @Override
  void pass() throws Exception {
    StepRuntime runtime = StepRuntime.current();
    Connection c = runtime.connect(store, getContext().get(Run.class));
    Deployer deployer = new Deployer(c.division().store(), runtime.clock());
    PrintStream log = logger();
    Instant now = runtime.clock().instant();
    try {
      if (submission == null) {
        submission =
            deployer.submit(
                DeployRequest.builder()
                    .project(project)
                    .apps(apps)
                    .ref(ref)
                    .clusters(clusters)
                    .namespace(c.namespace())
                    .timeout(timeout)
                    .force(force)
                    .build());
        save();
        lastSave = now;
        lastProgress = now;
        log.println(DivDeployStep.FUNCTION + ": " + submitted(submission));
      }
      if (isFinished()) return;
      DeployProgress progress = deployer.advance(submission);
      for (DeployProgress.Line line : progress.lines()) log.println(line.prefixed());
      boolean moved = !progress.lines().isEmpty() || !progress.submission().equals(submission);
      submission = progress.submission();
      lastDescription = progress.describe();
      if (progress.state().ended()) {
        save();
        log.println(progress.table());
        if (progress.state() == DeployProgress.State.SUCCEEDED) {
          succeed(result(progress));
        } else {
          fail(failure(progress));
        }
        return;
      }
      if (lastProgress == null) lastProgress = now;
      if (Duration.between(lastProgress, now).compareTo(PROGRESS_EVERY) >= 0) {
        log.println(DivDeployStep.FUNCTION + ": " + lastDescription);
        lastProgress = now;
      }
      if (moved
          && (lastSave == null || Duration.between(lastSave, now).compareTo(SAVE_EVERY) >= 0)) {
        save();
        lastSave = now;
      }
      delay = moved || delay == null ? FASTEST : min(SLOWEST, delay.multipliedBy(3).dividedBy(2));
      schedule(delay);
    } catch (DivisionException e) {
      throw DivisionStepException.of(DivDeployStep.FUNCTION, e);
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private String submitted(DeploySubmission s) {
    List<String> where = new ArrayList<>();
    for (DeploySubmission.Target t : s.targets()) where.add(t.app() + " on " + t.cluster());
    return "deploying "
        + s.ref()
        + " of project "
        + s.project()
        + ": "
        + String.join(", ", where)
        + " (namespace "
        + s.namespace()
        + ", times out at "
        + s.deadline()
        + ")";
  }

  /** Core's failure, with each failed target's install and its message, so the log names it. */
  private static DivisionStepException failure(DeployProgress progress) {
    DivisionException e = progress.failure();
    List<String> failed = new ArrayList<>();
    for (DeployProgress.TargetProgress t : progress.targets()) {
      if (t.succeeded()) continue;
      failed.add(
          (t.install() == null
                  ? t.app() + " on " + t.cluster() + " (no install)"
                  : "install " + t.install())
              + ": "
              + t.phase()
              + (t.message() == null ? "" : " (" + t.message() + ")"));
    }
    return new DivisionStepException(
        e.reason().name(),
        DivDeployStep.FUNCTION + ": " + e.getMessage() + "; " + String.join("; ", failed));
  }

  private static Map<String, Object> result(DeployProgress progress) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("state", progress.state().name());
    out.put("ref", progress.submission().ref());
    out.put("namespace", progress.submission().namespace());
    List<Map<String, Object>> targets = new ArrayList<>();
    for (DeployProgress.TargetProgress t : progress.targets()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("cluster", t.cluster());
      m.put("app", t.app());
      m.put("install", t.install());
      m.put("attempt", t.attempt());
      m.put("phase", t.phase());
      m.put("message", t.message());
      m.put("succeeded", t.succeeded());
      targets.add(m);
    }
    out.put("targets", targets);
    return out;
  }

  @Override
  public void stop(Throwable cause) {
    DeploySubmission s = submission;
    super.stop(cause);
    if (s == null) return;
    // Withdraw the request so that no gateway starts it later; on the Timer, off the pipeline
    // thread.
    StepRuntime runtime = StepRuntime.current();
    try {
      runtime.timer().execute(() -> withdraw(runtime, s));
    } catch (RejectedExecutionException e) {
      // The controller is going down; the Deployment's deadline still bounds the request.
    }
  }

  private void withdraw(StepRuntime runtime, DeploySubmission s) {
    try {
      Connection c = runtime.connect(store, getContext().get(Run.class));
      new Deployer(c.division().store(), runtime.clock()).cancel(s);
    } catch (Exception e) {
      // Best effort: the Deployment's deadline still stops a gateway from starting it late.
    }
  }

  @Override
  public String getStatus() {
    if (submission == null) return "submitting the deploy of " + ref;
    return lastDescription == null ? "following the deploy of " + ref : lastDescription;
  }
}
