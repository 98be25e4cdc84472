package io.division.core.deploy;

import io.division.core.DivisionException;
import io.division.core.deploy.DeployProgress.TargetProgress;
import io.division.core.deploy.DeploySubmission.Target;
import io.division.core.deploy.status.DeploymentSpec;
import io.division.core.kind.BuiltinKinds;
import io.division.core.model.ObjectMeta;
import io.division.core.model.Resource;
import io.division.core.model.ResourceKey;
import io.division.core.store.ListQuery;
import io.division.core.store.Store;
import io.division.core.store.StoreException;
import io.division.core.time.Durations;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Deploys as data, for callers that must not block: {@link #submit} writes the Deployments (each
 * with a fresh request id, its target clusters and its deadline) and returns a {@link
 * DeploySubmission}; {@link #advance} is one non-blocking pass that reads the Releases and Installs
 * answering those very requests and returns per-target progress, the log lines since the last pass
 * and the advanced submission; {@link #cancel} withdraws the request, so that no gateway starts it
 * later. Matching on request id and attempt keeps an older attempt's status from being mistaken for
 * this one's. Thread-safe: it keeps no state between calls.
 */
public final class Deployer {
  /** How long a cluster may stay silent before the tracker says it is waiting for it. */
  static final Duration NUDGE_AFTER = Duration.ofSeconds(10);

  /** At most this many log lines per target and pass, so that one pass stays short. */
  static final int LOG_PAGE = 5000;

  public static final String WAITING = "Waiting";
  public static final String CANCELLED = "Cancelled";
  public static final String SUPERSEDED = "Superseded";

  /** A target the gateway did not start because the deploy's deadline had passed. */
  public static final String EXPIRED = "Expired";

  /**
   * The {@link DivisionException#subject()} of "no cluster has a live gateway", so a front end can
   * add its own hint (how to start one, how to name clusters).
   */
  public static final String NO_LIVE_CLUSTER = "cluster heartbeats";

  private final Store store;
  private final Clock clock;

  public Deployer(Store store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  // --- submit --------------------------------------------------------------------------------

  /**
   * Validates the request (the project's applications exist, the ref is allowed, the clusters are
   * named or have a live gateway) and writes one Deployment per application.
   */
  public DeploySubmission submit(DeployRequest req) {
    String namespace = req.namespace();
    String project = DeployNames.resourceName("project", req.project());
    String ref = DeployNames.validateRef(req.ref());
    List<String> apps = new ArrayList<>();
    for (String a : req.apps())
      apps.add(checkApplication(DeployNames.resourceName("app", a), project, namespace));
    if (apps.isEmpty()) apps.addAll(applicationsOf(project, namespace));
    List<String> clusters = new ArrayList<>();
    for (String c : req.clusters()) clusters.add(DeployNames.resourceName("cluster", c));
    if (clusters.isEmpty()) clusters.addAll(freshClusters(req.clusterFreshness()));

    Instant now = Instant.now(clock).truncatedTo(ChronoUnit.MILLIS);
    Instant deadline = now.plus(req.timeout());
    List<Target> targets = new ArrayList<>();
    for (String app : new LinkedHashSet<>(apps)) {
      String request = UUID.randomUUID().toString();
      DeploymentSpec spec =
          DeploymentSpec.builder()
              .project(project)
              .app(app)
              .ref(ref)
              .request(request)
              .force(req.force())
              // Named clusters only: a deploy to every live cluster also asks a gateway that
              // registers while it runs.
              .clusters(req.clusters().isEmpty() ? List.of() : clusters)
              .deadline(deadline)
              .build();
      store.apply(
          new Resource(
              null,
              BuiltinKinds.DEPLOYMENT,
              ObjectMeta.named(app, namespace).withLabels(Map.of("division.io/project", project)),
              spec.toJson(),
              null));
      for (String cluster : clusters) targets.add(Target.waiting(app, cluster, request));
    }
    return new DeploySubmission(project, namespace, ref, now, deadline, targets);
  }

  // --- advance -------------------------------------------------------------------------------

  /** One pass over the store, now: never waits. */
  public DeployProgress advance(DeploySubmission submission) {
    AdvancePass pass = new AdvancePass(store, submission, Instant.now(clock));
    List<Target> advanced = new ArrayList<>();
    List<TargetProgress> progress = new ArrayList<>();
    for (Target t : submission.targets()) {
      Target.Builder b = t.toBuilder();
      AdvancePass.Seen seen = b.ended != null ? null : pass.advance(b);
      advanced.add(b.build());
      progress.add(pass.progressOf(b, seen));
    }
    DeployProgress.State state = stateOf(advanced, pass.now, submission.deadline());
    if (state == DeployProgress.State.TIMED_OUT) progress = pass.timedOut(progress);
    return new DeployProgress(submission.withTargets(advanced), progress, pass.lines, state);
  }

  private static DeployProgress.State stateOf(List<Target> targets, Instant now, Instant deadline) {
    boolean allEnded = true;
    boolean failed = false;
    boolean cancelled = false;
    boolean expired = false;
    for (Target t : targets) {
      if (t.ended() == null) {
        allEnded = false;
      } else if (!t.ended().succeeded()) {
        switch (t.ended().phase()) {
          case CANCELLED -> cancelled = true;
          case EXPIRED -> expired = true;
          default -> failed = true;
        }
      }
    }
    if (!allEnded)
      return now.isBefore(deadline) ? DeployProgress.State.RUNNING : DeployProgress.State.TIMED_OUT;
    if (failed) return DeployProgress.State.FAILED;
    if (expired) return DeployProgress.State.TIMED_OUT;
    return cancelled ? DeployProgress.State.CANCELLED : DeployProgress.State.SUCCEEDED;
  }

  // --- cancel --------------------------------------------------------------------------------

  /**
   * Withdraws the submission's requests: a gateway that has not started a target yet never will
   * (until a new deploy asks again). Installs already running go on to their end. A Deployment that
   * a newer deploy has taken over is left alone.
   */
  public void cancel(DeploySubmission submission) {
    Map<String, String> requests = new LinkedHashMap<>();
    for (Target t : submission.targets()) requests.put(t.app(), t.request());
    requests.forEach((app, request) -> withdraw(submission.namespace(), app, request));
  }

  /**
   * Cancels whatever deploy each named application's Deployment currently asks for (every
   * Application of the project when {@code apps} is empty), for a caller that holds no submission:
   * another process, a person. Returns the Deployments it cancelled.
   */
  public List<DeploymentSpec> cancelCurrent(String namespace, String project, List<String> apps) {
    String owner = DeployNames.resourceName("project", project);
    List<String> names = new ArrayList<>();
    for (String a : apps) names.add(DeployNames.resourceName("app", a));
    if (names.isEmpty()) names.addAll(applicationsOf(owner, namespace));
    List<DeploymentSpec> cancelled = new ArrayList<>();
    for (String app : names) {
      Optional<Resource> d = store.find(new ResourceKey(BuiltinKinds.DEPLOYMENT, namespace, app));
      if (d.isEmpty()) continue;
      DeploymentSpec spec = DeploymentSpec.from(d.get());
      if (spec.cancelled()) continue;
      DeploymentSpec done = withdraw(namespace, app, spec.request());
      if (done != null) cancelled.add(done);
    }
    return cancelled;
  }

  /** Marks the Deployment's request cancelled if it is still {@code request}; null if not. */
  private DeploymentSpec withdraw(String namespace, String app, String request) {
    DeploymentSpec[] result = new DeploymentSpec[1];
    try {
      store.modify(
          new ResourceKey(BuiltinKinds.DEPLOYMENT, namespace, app),
          d -> {
            DeploymentSpec spec = DeploymentSpec.from(d);
            if (!spec.request().equals(request) || spec.cancelled()) return d;
            result[0] = spec.toBuilder().cancelled(true).build();
            return d.withSpec(result[0].toJson());
          });
    } catch (StoreException e) {
      if (!e.is(StoreException.Reason.NOT_FOUND)) throw e; // deleted: nothing left to start
    }
    return result[0];
  }

  // --- validation ----------------------------------------------------------------------------

  /**
   * A deploy targets an Application that exists and belongs to the project: a typo deploys nothing.
   */
  private String checkApplication(String app, String project, String namespace) {
    Resource application =
        store
            .find(new ResourceKey(BuiltinKinds.APPLICATION, namespace, app))
            .orElseThrow(
                () ->
                    new DivisionException(
                        DivisionException.Reason.NOT_FOUND,
                        "application "
                            + app
                            + " not found in namespace "
                            + namespace
                            + ": apply it first (examples/project.yaml shows one)",
                        "application/" + app));
    String owner = application.specText("project");
    if (owner != null && !owner.equals(project)) {
      throw DivisionException.invalid(
          "application " + app + " belongs to project " + owner + ", not " + project);
    }
    return app;
  }

  private List<String> applicationsOf(String project, String namespace) {
    List<String> apps = new ArrayList<>();
    for (Resource a :
        store.list(new ListQuery(BuiltinKinds.APPLICATION, namespace, null)).items()) {
      if (project.equals(a.specText("project"))) apps.add(a.name());
    }
    if (apps.isEmpty()) {
      throw DivisionException.invalid(
          "project " + project + " has no Application in namespace " + namespace);
    }
    return apps;
  }

  private List<String> freshClusters(Duration freshness) {
    Instant cutoff = Instant.now(clock).minus(freshness);
    List<String> fresh = new ArrayList<>();
    for (Resource c : store.list(ListQuery.all(BuiltinKinds.CLUSTER)).items()) {
      Instant beat = AdvancePass.heartbeatOf(c);
      if (beat != null && beat.isAfter(cutoff)) fresh.add(c.name());
    }
    if (fresh.isEmpty()) {
      throw new DivisionException(
          DivisionException.Reason.INVALID,
          "no cluster has a gateway heartbeat from the last "
              + Durations.format(freshness)
              + ": start a gateway or name the clusters to deploy to",
          NO_LIVE_CLUSTER);
    }
    return fresh;
  }
}
