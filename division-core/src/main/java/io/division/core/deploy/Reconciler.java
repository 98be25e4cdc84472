package io.division.core.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.division.core.DivisionException;
import io.division.core.kind.BuiltinKinds;
import io.division.core.logs.LogBatcher;
import io.division.core.model.Json;
import io.division.core.model.ObjectMeta;
import io.division.core.model.Resource;
import io.division.core.model.ResourceKey;
import io.division.core.store.ListQuery;
import io.division.core.store.Store;
import io.division.core.store.StoreException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * One cluster's reconciliation, Deployments → Releases → Installs, one pass at a time; the {@link
 * Gateway} decides when passes run. Every write is a read-modify-write with optimistic concurrency,
 * so two gateways racing for the same Install cannot both run it: one claim wins, the other sees
 * Running and leaves it.
 */
public final class Reconciler implements AutoCloseable {
  private final Store store;
  private final GatewayOptions options;
  private final Executor executor;
  private final Clock clock;
  private final String gatewayId;
  private final Map<String, Active> active = new HashMap<>();

  /** An attempt this gateway process is running. */
  private record Active(
      ResourceKey key, int attempt, Executor.Handle handle, LogBatcher log, Instant startedAt) {}

  public Reconciler(Store store, GatewayOptions options, Executor executor, Clock clock) {
    this.store = store;
    this.options = options;
    this.executor = executor;
    this.clock = clock;
    this.gatewayId =
        options.cluster()
            + "-"
            + ProcessHandle.current().pid()
            + "-"
            + UUID.randomUUID().toString().substring(0, 8);
  }

  public String gatewayId() {
    return gatewayId;
  }

  public int activeCount() {
    return active.size();
  }

  private String now() {
    return Instant.now(clock).truncatedTo(ChronoUnit.MILLIS).toString();
  }

  /**
   * Registers the cluster, proves it alive, and holds its lease: one gateway per cluster reconciles
   * at a time (others stand by), so an Install claimed by another gateway id is known to be a dead
   * predecessor's, never a live peer's. Returns whether this gateway holds the lease.
   */
  public boolean heartbeat() {
    ResourceKey key = new ResourceKey(BuiltinKinds.CLUSTER, "", options.cluster());
    Instant now = Instant.now(clock);
    ObjectNode status =
        Json.object()
            .put("lastHeartbeat", now())
            .put("executor", executor.name())
            .put("leader", gatewayId)
            .put(
                "leaseUntil",
                now.plus(options.heartbeatEvery().multipliedBy(3))
                    .truncatedTo(ChronoUnit.MILLIS)
                    .toString())
            .put("version", Gateway.VERSION);
    if (store.find(key).isEmpty()) {
      try {
        store.create(
            new Resource(
                null,
                BuiltinKinds.CLUSTER,
                ObjectMeta.named(options.cluster(), ""),
                Json.object(),
                status));
        return true;
      } catch (StoreException e) {
        if (!e.is(StoreException.Reason.ALREADY_EXISTS)) throw e;
      }
    }
    Resource after =
        store.modify(
            key,
            c -> {
              String leader = c.statusText("leader");
              String until = c.statusText("leaseUntil");
              boolean free =
                  leader == null
                      || leader.equals(gatewayId)
                      || until == null
                      || !Instant.parse(until).isAfter(now);
              return free ? c.withStatus(merge(c.status(), status)) : c;
            });
    return gatewayId.equals(after.statusText("leader"));
  }

  /** Gives the lease up at once, so a successor need not wait for it to run out. */
  private void releaseLease() {
    ResourceKey key = new ResourceKey(BuiltinKinds.CLUSTER, "", options.cluster());
    store.modify(
        key,
        c ->
            gatewayId.equals(c.statusText("leader"))
                ? c.withStatus(merge(c.status(), Json.object().put("leaseUntil", now())))
                : c);
  }

  // --- Deployments → Releases and Installs ---------------------------------------------------

  public void reconcileDeployments() {
    for (Resource d :
        store.list(new ListQuery(BuiltinKinds.DEPLOYMENT, options.namespace(), null)).items()) {
      try {
        reconcileDeployment(d);
      } catch (IllegalArgumentException | DivisionException e) {
        // A Deployment the gateway must not act on (bad ref, bad name): say why on its Release.
        reportInvalid(d, e.getMessage());
      }
    }
  }

  private void reconcileDeployment(Resource d) {
    JsonNode spec = d.spec() == null ? Json.object() : d.spec();
    String project = spec.path("project").asText(null);
    if (options.project() != null && !options.project().equals(project)) return;
    JsonNode clusters = spec.path("clusters");
    if (clusters.isArray() && clusters.size() > 0 && !contains(clusters, options.cluster())) return;
    String app = DeployNames.resourceName("spec.app", spec.path("app").asText(d.name()));
    String ref = DeployNames.validateRef(spec.path("ref").asText(null));
    String request = spec.path("request").asText("generation-" + d.metadata().generation());
    boolean force = spec.path("force").asBoolean(false);

    ResourceKey releaseKey =
        new ResourceKey(
            BuiltinKinds.RELEASE, d.namespace(), DeployNames.releaseName(app, options.cluster()));
    Optional<Resource> release = store.find(releaseKey);
    if (release.isPresent() && request.equals(release.get().statusText("request")))
      return; // already answered

    String installName = DeployNames.installName(app, options.cluster(), ref);
    ResourceKey installKey = new ResourceKey(BuiltinKinds.INSTALL, d.namespace(), installName);
    String outcome;
    int attempt;
    Optional<Resource> existing = store.find(installKey);
    if (existing.isEmpty()) {
      ObjectNode installSpec =
          Json.object()
              .put("project", project)
              .put("app", app)
              .put("cluster", options.cluster())
              .put("ref", ref)
              .put("request", request)
              .put("attempt", 1);
      ObjectNode status = Json.object().put("phase", Phases.PENDING).put("attempt", 1);
      store.create(
          new Resource(
              null,
              BuiltinKinds.INSTALL,
              ObjectMeta.named(installName, d.namespace())
                  .withLabels(
                      Map.of("division.io/app", app, "division.io/cluster", options.cluster())),
              installSpec,
              status));
      outcome = "Started";
      attempt = 1;
    } else {
      String phase = existing.get().statusText("phase");
      if (Phases.SUCCEEDED.equals(phase) && !force) {
        outcome = Phases.ALREADY_SUCCEEDED;
        attempt = existing.get().spec().path("attempt").asInt(1);
      } else if (Phases.terminal(phase)) {
        // A failed ref, or a forced re-run: a new attempt, the previous one kept in the history.
        Resource retried =
            store.modify(installKey, i -> newAttempt(i, request, phase, i.statusText("message")));
        outcome = "Started";
        attempt = retried.spec().path("attempt").asInt();
      } else {
        // In flight already (another request for the same ref): this request follows it.
        Resource followed =
            store.modify(
                installKey,
                i -> i.withSpec(((ObjectNode) i.spec().deepCopy()).put("request", request)));
        outcome = "InProgress";
        attempt = followed.spec().path("attempt").asInt();
      }
    }
    ObjectNode releaseStatus =
        Json.object()
            .put("ref", ref)
            .put("request", request)
            .put("install", installName)
            .put("attempt", attempt)
            .put("outcome", outcome)
            .put("updatedAt", now());
    ObjectNode releaseSpec =
        Json.object().put("project", project).put("app", app).put("cluster", options.cluster());
    store.apply(
        new Resource(
            null,
            BuiltinKinds.RELEASE,
            ObjectMeta.named(releaseKey.name(), d.namespace())
                .withLabels(
                    Map.of("division.io/app", app, "division.io/cluster", options.cluster())),
            releaseSpec,
            releaseStatus));
  }

  private void reportInvalid(Resource d, String why) {
    String app = d.name();
    ResourceKey releaseKey =
        new ResourceKey(
            BuiltinKinds.RELEASE, d.namespace(), DeployNames.releaseName(app, options.cluster()));
    String request = d.spec() == null ? "" : d.spec().path("request").asText("");
    Optional<Resource> release = store.find(releaseKey);
    if (release.isPresent() && request.equals(release.get().statusText("request"))) return;
    ObjectNode status =
        Json.object()
            .put("request", request)
            .put("outcome", "Rejected")
            .put("message", why)
            .put("updatedAt", now());
    store.apply(
        new Resource(
            null,
            BuiltinKinds.RELEASE,
            ObjectMeta.named(releaseKey.name(), d.namespace()),
            Json.object().put("app", app).put("cluster", options.cluster()),
            status));
  }

  /**
   * The next attempt of an install: spec.attempt+1 (so its generation moves), status back to
   * Pending.
   */
  private static Resource newAttempt(
      Resource install, String request, String previousPhase, String previousMessage) {
    int attempt = install.spec().path("attempt").asInt(1);
    ObjectNode spec =
        ((ObjectNode) install.spec().deepCopy())
            .put("attempt", attempt + 1)
            .put("request", request);
    ObjectNode old = install.status() == null ? Json.object() : (ObjectNode) install.status();
    ObjectNode status = Json.object().put("phase", Phases.PENDING).put("attempt", attempt + 1);
    ArrayNode history = status.putArray("history");
    if (old.path("history").isArray()) history.addAll((ArrayNode) old.get("history"));
    ObjectNode entry = history.addObject().put("attempt", attempt).put("phase", previousPhase);
    if (previousMessage != null) entry.put("message", previousMessage);
    if (old.hasNonNull("startedAt")) entry.put("startedAt", old.get("startedAt").asText());
    if (old.hasNonNull("finishedAt")) entry.put("finishedAt", old.get("finishedAt").asText());
    if (old.hasNonNull("executorState"))
      entry.put("executorState", old.get("executorState").asText());
    return install.withSpec(spec).withStatus(status);
  }

  // --- Installs: claim, run, adopt, finish, time out ---------------------------------------------

  public void reconcileInstalls() {
    finishCompleted();
    for (Resource install :
        store.list(new ListQuery(BuiltinKinds.INSTALL, options.namespace(), null)).items()) {
      if (install.spec() == null
          || !options.cluster().equals(install.spec().path("cluster").asText())) continue;
      String phase = install.statusText("phase");
      if (Phases.PENDING.equals(phase)) {
        claimAndStart(install);
      } else if (Phases.RUNNING.equals(phase) && !active.containsKey(install.name())) {
        if (!gatewayId.equals(install.statusText("gateway"))) adoptOrRetry(install);
      }
    }
    timeOutStuck();
  }

  /**
   * The attempt as an executor sees it; {@code claimedAt} makes executor object ids reproducible.
   */
  private InstallRun runOf(Resource install, Instant claimedAt) {
    JsonNode spec = install.spec();
    int attempt = spec.path("attempt").asInt(1);
    return new InstallRun(
        install.name(),
        DeployNames.objectName(install.name(), attempt),
        spec.path("project").asText(null),
        spec.path("app").asText(),
        spec.path("ref").asText(),
        options.cluster(),
        install.namespace(),
        attempt,
        claimedAt);
  }

  private void claimAndStart(Resource pending) {
    InstallRun run;
    String claimedAt = now();
    try {
      run = runOf(pending, Instant.parse(claimedAt));
    } catch (IllegalArgumentException | DivisionException e) {
      finish(
          pending.key(),
          pending.spec().path("attempt").asInt(1),
          false,
          "rejected: " + e.getMessage(),
          null);
      return;
    }
    long logStart =
        store.appendLog(
            pending.key(),
            List.of(
                "=== attempt "
                    + run.attempt()
                    + " of "
                    + run.ref()
                    + " on "
                    + run.cluster()
                    + " by "
                    + gatewayId
                    + " ("
                    + executor.name()
                    + ") ==="));
    Resource claimed;
    try {
      claimed =
          store.modify(
              pending.key(),
              i -> {
                if (!Phases.PENDING.equals(i.statusText("phase"))
                    || i.spec().path("attempt").asInt(1) != run.attempt()) {
                  throw new LostClaim();
                }
                ObjectNode status =
                    ((ObjectNode) i.status().deepCopy())
                        .put("phase", Phases.RUNNING)
                        .put("attempt", run.attempt())
                        .put("startedAt", claimedAt)
                        .put("gateway", gatewayId)
                        .put("executor", executor.name())
                        .put("executorObject", run.objectName())
                        .put("logStart", logStart);
                status.remove("finishedAt");
                status.remove("message");
                return i.withStatus(status);
              });
    } catch (LostClaim e) {
      return; // another gateway claimed it first
    }
    start(claimed.key(), run);
  }

  /** Thrown inside a modify to abandon a claim another gateway won. */
  private static final class LostClaim extends RuntimeException {
    LostClaim() {
      super(null, null, false, false);
    }
  }

  private void start(ResourceKey key, InstallRun run) {
    LogBatcher log = LogBatcher.forStore(store, key);
    try {
      Executor.Handle handle = executor.start(run, log::add);
      active.put(key.name(), new Active(key, run.attempt(), handle, log, Instant.now(clock)));
      store.modify(
          key,
          i ->
              i.withStatus(
                  ((ObjectNode) i.status().deepCopy()).put("executorState", handle.state())));
    } catch (Executor.ExecutorException e) {
      log.add("[gateway] " + e.getMessage());
      log.close();
      finish(key, run.attempt(), false, e.getMessage(), null);
    }
  }

  /**
   * A Running install claimed by an earlier gateway process: follow it if the executor can (a
   * Kubernetes Job outlives its gateway), else run it again as a new attempt, a bounded number of
   * times, so a restarted gateway neither loses an install nor leaves it Running forever.
   */
  private void adoptOrRetry(Resource install) {
    String startedAt = install.statusText("startedAt");
    InstallRun run =
        runOf(install, startedAt == null ? Instant.now(clock) : Instant.parse(startedAt));
    LogBatcher log = LogBatcher.forStore(store, install.key());
    try {
      Optional<Executor.Handle> adopted =
          executor.adopt(run, log::add, install.statusText("executorState"));
      if (adopted.isPresent()) {
        store.modify(
            install.key(),
            i -> i.withStatus(((ObjectNode) i.status().deepCopy()).put("gateway", gatewayId)));
        active.put(
            install.name(),
            new Active(install.key(), run.attempt(), adopted.get(), log, Instant.now(clock)));
        return;
      }
    } catch (Executor.ExecutorException e) {
      log.add("[gateway] cannot re-adopt: " + e.getMessage());
    }
    log.close();
    JsonNode history = install.status().path("history");
    long interrupted = 0;
    for (JsonNode h : history) if ("Interrupted".equals(h.path("phase").asText())) interrupted++;
    if (interrupted >= options.maxInterruptedRetries()) {
      finish(
          install.key(),
          run.attempt(),
          false,
          "interrupted " + (interrupted + 1) + " times by gateway restarts; giving up",
          null);
      return;
    }
    store.appendLog(
        install.key(),
        List.of(
            "[gateway] attempt "
                + run.attempt()
                + " was interrupted by a gateway restart; running it again"));
    store.modify(
        install.key(),
        i ->
            newAttempt(
                i,
                i.spec().path("request").asText(),
                "Interrupted",
                "the gateway restarted while it ran"));
  }

  private void finishCompleted() {
    for (Iterator<Active> it = active.values().iterator(); it.hasNext(); ) {
      Active a = it.next();
      Executor.Outcome outcome = a.handle().poll();
      if (outcome == null) continue;
      it.remove();
      a.log().close();
      finish(a.key(), a.attempt(), outcome.succeeded(), outcome.message(), a);
    }
  }

  private void timeOutStuck() {
    Instant now = Instant.now(clock);
    for (Iterator<Active> it = active.values().iterator(); it.hasNext(); ) {
      Active a = it.next();
      if (Duration.between(a.startedAt(), now).compareTo(options.installTimeout()) < 0) continue;
      it.remove();
      a.handle().cancel();
      String message =
          "timed out after " + io.division.core.time.Durations.format(options.installTimeout());
      a.log().add("[gateway] " + message + "; stopped");
      a.log().close();
      finish(a.key(), a.attempt(), false, message, a);
    }
  }

  /** Records the outcome, unless the install has moved on to another attempt meanwhile. */
  private void finish(
      ResourceKey key, int attempt, boolean succeeded, String message, Active from) {
    try {
      store.modify(
          key,
          i -> {
            if (i.spec().path("attempt").asInt(1) != attempt
                || Phases.terminal(i.statusText("phase"))) return i;
            ObjectNode status =
                ((ObjectNode) i.status().deepCopy())
                    .put("phase", succeeded ? Phases.SUCCEEDED : Phases.FAILED)
                    .put("finishedAt", now())
                    .put("message", message);
            return i.withStatus(status);
          });
    } catch (StoreException e) {
      if (!e.is(StoreException.Reason.NOT_FOUND)) throw e; // deleted meanwhile: nothing to record
    }
  }

  /**
   * Stops gracefully: attempts still running are stopped and put back to Pending as new attempts,
   * so the next gateway runs them rather than finding them orphaned.
   */
  @Override
  public void close() {
    for (Active a : active.values()) {
      a.handle().cancel();
      a.log().add("[gateway] stopped while this attempt ran; it will run again");
      a.log().close();
      try {
        store.modify(
            a.key(),
            i ->
                i.spec().path("attempt").asInt(1) == a.attempt()
                        && Phases.RUNNING.equals(i.statusText("phase"))
                    ? newAttempt(
                        i,
                        i.spec().path("request").asText(),
                        "Interrupted",
                        "the gateway stopped while it ran")
                    : i);
      } catch (StoreException e) {
        // the store is unreachable: the next gateway will find the attempt Running and retry it
      }
    }
    active.clear();
    try {
      releaseLease();
    } catch (StoreException e) {
      // unreachable: the lease simply runs out
    }
    executor.close();
  }

  private static boolean contains(JsonNode array, String value) {
    for (JsonNode n : array) if (value.equals(n.asText())) return true;
    return false;
  }

  private static JsonNode merge(JsonNode current, ObjectNode update) {
    ObjectNode out =
        current != null && current.isObject() ? ((ObjectNode) current).deepCopy() : Json.object();
    out.setAll(update);
    return out;
  }
}
