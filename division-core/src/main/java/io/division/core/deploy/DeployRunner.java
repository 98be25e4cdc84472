package io.division.core.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.division.core.DivisionException;
import io.division.core.kind.BuiltinKinds;
import io.division.core.logs.LogFollower;
import io.division.core.model.Json;
import io.division.core.model.ObjectMeta;
import io.division.core.model.Resource;
import io.division.core.model.ResourceKey;
import io.division.core.store.ListQuery;
import io.division.core.store.Store;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * {@code div deploy}: writes the wanted ref into each application's Deployment with a fresh request
 * id, then follows, per cluster, the Release that answers that very request and the Install attempt
 * it names, streaming the attempt's log. Matching on the request id and attempt is what keeps an
 * older attempt's status from being mistaken for this one's.
 */
public final class DeployRunner {
  /** How long a cluster may stay silent before div deploy says it is waiting for it. */
  private static final Duration NUDGE_AFTER = Duration.ofSeconds(10);

  private final Store store;
  private final Clock clock;

  public DeployRunner(Store store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /** Progress of one application on one cluster. */
  private static final class Tracked {
    final String app;
    final String cluster;
    final String request;
    String install;
    int attempt;
    String phase = "Waiting";
    String message;
    boolean done;
    boolean succeeded;
    boolean nudged;
    LogFollower log;

    Tracked(String app, String cluster, String request) {
      this.app = app;
      this.cluster = cluster;
      this.request = request;
    }
  }

  public DeployResult deploy(DeployRequest req, PrintStream out, BooleanSupplier cancelled)
      throws InterruptedException {
    String namespace = req.namespace();
    String project = DeployNames.resourceName("--project", req.project());
    String ref = DeployNames.validateRef(req.ref());
    List<String> apps = new ArrayList<>();
    for (String a : req.apps())
      apps.add(checkApplication(DeployNames.resourceName("--app", a), project, namespace));
    if (apps.isEmpty()) apps.addAll(applicationsOf(project, namespace));
    List<String> clusters = new ArrayList<>();
    for (String c : req.clusters()) clusters.add(DeployNames.resourceName("--cluster", c));
    if (clusters.isEmpty()) clusters.addAll(freshClusters(req.clusterFreshness()));

    Map<String, String> requests = new LinkedHashMap<>();
    for (String app : apps) {
      String request = UUID.randomUUID().toString();
      ObjectNode spec =
          Json.object()
              .put("project", project)
              .put("app", app)
              .put("ref", ref)
              .put("request", request);
      if (req.force()) spec.put("force", true);
      if (!req.clusters().isEmpty()) {
        ArrayNode targets = spec.putArray("clusters");
        clusters.forEach(targets::add);
      }
      Resource wanted =
          new Resource(
              null,
              BuiltinKinds.DEPLOYMENT,
              ObjectMeta.named(app, namespace).withLabels(Map.of("division.io/project", project)),
              spec,
              null);
      store.apply(wanted);
      requests.put(app, request);
      out.println(
          "deployment/"
              + app
              + " wants "
              + ref
              + " on "
              + String.join(", ", clusters)
              + (req.force() ? " (forced)" : ""));
    }
    List<Tracked> tracked = new ArrayList<>();
    for (String app : apps)
      for (String cluster : clusters) tracked.add(new Tracked(app, cluster, requests.get(app)));
    if (req.noWait()) return result(DeployResult.Status.SUBMITTED, tracked, ref);

    long started = System.nanoTime();
    long deadline = started + req.timeout().toNanos();
    while (true) {
      long mark = store.changeMark();
      boolean allDone = true;
      for (Tracked t : tracked) {
        if (!t.done) advance(t, namespace, out, started);
        allDone &= t.done;
      }
      if (allDone) break;
      if (System.nanoTime() >= deadline || cancelled.getAsBoolean()) {
        for (Tracked t : tracked) {
          if (!t.done)
            t.message =
                "timed out after "
                    + io.division.core.time.Durations.format(req.timeout())
                    + (t.install == null ? ": no gateway answered for cluster " + t.cluster : "");
        }
        return result(DeployResult.Status.TIMED_OUT, tracked, ref);
      }
      store.awaitChange(
          mark, Duration.ofNanos(Math.min(deadline - System.nanoTime(), 250_000_000L)));
    }
    boolean ok = tracked.stream().allMatch(t -> t.succeeded);
    return result(ok ? DeployResult.Status.SUCCEEDED : DeployResult.Status.FAILED, tracked, ref);
  }

  private void advance(Tracked t, String namespace, PrintStream out, long started) {
    if (t.install == null) {
      Optional<Resource> deployment =
          store.find(new ResourceKey(BuiltinKinds.DEPLOYMENT, namespace, t.app));
      if (deployment.isEmpty() || !t.request.equals(deployment.get().specText("request"))) {
        finish(
            t,
            false,
            "Superseded",
            "another deploy replaced this request before cluster " + t.cluster + " answered it");
        return;
      }
      Optional<Resource> release =
          store.find(
              new ResourceKey(
                  BuiltinKinds.RELEASE, namespace, DeployNames.releaseName(t.app, t.cluster)));
      if (release.isEmpty() || !t.request.equals(release.get().statusText("request"))) {
        // A silent wait is the worst kind: say once what is being waited for.
        if (!t.nudged && System.nanoTime() - started > NUDGE_AFTER.toNanos()) {
          t.nudged = true;
          out.println(
              "["
                  + t.cluster
                  + " "
                  + t.app
                  + "] no answer yet from the gateway of cluster "
                  + t.cluster
                  + " (is `div gateway --cluster "
                  + t.cluster
                  + "` running?)");
        }
        return;
      }
      JsonNode status = release.get().status();
      String outcome = status.path("outcome").asText();
      t.install = status.path("install").asText(null);
      t.attempt = status.path("attempt").asInt();
      if (Phases.ALREADY_SUCCEEDED.equals(outcome)) {
        finish(t, true, Phases.SUCCEEDED, "already installed (use --force to run it again)");
        out.println("[" + t.cluster + " " + t.app + "] " + t.message);
        return;
      }
      if ("Rejected".equals(outcome)) {
        finish(
            t, false, Phases.FAILED, "rejected by the gateway: " + status.path("message").asText());
        return;
      }
    }
    ResourceKey key = new ResourceKey(BuiltinKinds.INSTALL, namespace, t.install);
    Optional<Resource> found = store.find(key);
    if (found.isEmpty()) {
      finish(t, false, Phases.FAILED, "install/" + t.install + " was deleted");
      return;
    }
    Resource install = found.get();
    int specAttempt = install.spec().path("attempt").asInt(1);
    int statusAttempt = install.status() == null ? 0 : install.status().path("attempt").asInt();
    if (specAttempt > t.attempt) t.attempt = specAttempt; // an interrupted attempt was retried
    if (statusAttempt != t.attempt) return; // the gateway has not caught up with this attempt yet
    String phase = install.statusText("phase");
    t.phase = phase;
    JsonNode logStart = install.status().get("logStart");
    if (logStart != null && t.log == null) {
      t.log = new LogFollower(store, key);
      t.log.skipTo(logStart.asLong() - 1);
    }
    if (t.log != null) {
      String prefix = "[" + t.cluster + " " + t.app + "] ";
      t.log.drain(line -> out.println(prefix + line.text()));
    }
    if (Phases.terminal(phase))
      finish(t, Phases.SUCCEEDED.equals(phase), phase, install.statusText("message"));
  }

  private static void finish(Tracked t, boolean succeeded, String phase, String message) {
    t.done = true;
    t.succeeded = succeeded;
    t.phase = phase;
    t.message = message;
  }

  private DeployResult result(DeployResult.Status status, List<Tracked> tracked, String ref) {
    List<DeployResult.Target> targets = new ArrayList<>();
    for (Tracked t : tracked)
      targets.add(
          new DeployResult.Target(t.cluster, t.app, ref, t.install, t.attempt, t.phase, t.message));
    return new DeployResult(status, targets);
  }

  /**
   * A deploy targets an Application that exists and belongs to the project: a typo deploys nothing.
   */
  private String checkApplication(String app, String project, String namespace) {
    Resource application =
        store
            .find(new ResourceKey(BuiltinKinds.APPLICATION, namespace, app))
            .orElseThrow(
                () ->
                    DivisionException.notFound(
                        "application "
                            + app
                            + " not found in namespace "
                            + namespace
                            + ": apply it first (examples/project.yaml shows one)"));
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
          "project "
              + project
              + " has no Application in namespace "
              + namespace
              + ": name one with --app or apply one");
    }
    return apps;
  }

  private List<String> freshClusters(Duration freshness) {
    Instant cutoff = Instant.now(clock).minus(freshness);
    List<String> fresh = new ArrayList<>();
    for (Resource c : store.list(ListQuery.all(BuiltinKinds.CLUSTER)).items()) {
      String beat = c.statusText("lastHeartbeat");
      try {
        if (beat != null && Instant.parse(beat).isAfter(cutoff)) fresh.add(c.name());
      } catch (DateTimeParseException e) {
        // a heartbeat nobody can read is not fresh
      }
    }
    if (fresh.isEmpty()) {
      throw DivisionException.invalid(
          "no cluster has a gateway heartbeat from the last "
              + io.division.core.time.Durations.format(freshness)
              + ": start one (div gateway --cluster NAME) or name clusters with --cluster");
    }
    return fresh;
  }
}
