package io.division.core.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.division.core.DivisionException;
import io.division.core.deploy.status.DeploymentSpec;
import io.division.core.deploy.status.InstallSpec;
import io.division.core.deploy.status.InstallStatus;
import io.division.core.deploy.status.ReleaseStatus;
import io.division.core.deploy.status.ReleaseStatus.Outcome;
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

/**
 * One cluster's reconciliation, Deployments → Releases → Installs, one pass at a time; the gateway
 * daemon (module division-gateway) decides when passes run and holds the cluster {@link Lease}.
 * Every write is a read-modify-write with optimistic concurrency, so two gateways racing for the
 * same Install cannot both run it: one claim wins, the other sees Running and leaves it.
 */
public final class Reconciler implements AutoCloseable {
  /** The phase an attempt ends with in the history when a gateway stopped while it ran. */
  static final String INTERRUPTED = "Interrupted";

  private final Store store;
  private final GatewayOptions options;
  private final Executor executor;
  private final Clock clock;
  private final Lease lease;
  private final String gatewayId;
  private final Map<String, Active> active = new HashMap<>();
  private final Map<ResourceKey, String> invalid = new java.util.concurrent.ConcurrentHashMap<>();
  private InstallEvent.Listener listener = InstallEvent.Listener.NONE;

  /** An attempt this gateway process is running. */
  private record Active(
      ResourceKey key, int attempt, Executor.Handle handle, LogBatcher log, Instant startedAt) {}

  public Reconciler(
      Store store, GatewayOptions options, Executor executor, Lease lease, Clock clock) {
    this.store = store;
    this.options = options;
    this.executor = executor;
    this.lease = lease;
    this.clock = clock;
    this.gatewayId = lease.holder();
  }

  public String gatewayId() {
    return gatewayId;
  }

  /** Where install transitions and Deployment lags are reported (the gateway's log and metrics). */
  public Reconciler listener(InstallEvent.Listener listener) {
    this.listener = listener == null ? InstallEvent.Listener.NONE : listener;
    return this;
  }

  private void report(
      InstallEvent.Kind kind,
      ResourceKey install,
      String ref,
      int attempt,
      String message,
      Duration ran) {
    try {
      listener.installEvent(new InstallEvent(kind, install, ref, attempt, message, ran));
    } catch (RuntimeException e) {
      // a listener's failure must not undo a transition already written
    }
  }

  public int activeCount() {
    return active.size();
  }

  /**
   * Installs of this cluster the last pass could not act on, with why (a malformed spec or status
   * written into the store by someone else).
   */
  public Map<ResourceKey, String> invalidInstalls() {
    return Map.copyOf(invalid);
  }

  private String now() {
    return nowInstant().toString();
  }

  private Instant nowInstant() {
    return Instant.now(clock).truncatedTo(ChronoUnit.MILLIS);
  }

  // --- Deployments → Releases and Installs ---------------------------------------------------

  public void reconcileDeployments() {
    if (!lease.held()) return;
    for (Resource d :
        store.list(new ListQuery(BuiltinKinds.DEPLOYMENT, options.namespace(), null)).items()) {
      try {
        reconcileDeployment(d);
      } catch (DivisionException e) {
        // A Deployment the gateway must not act on (bad ref, bad name, a malformed field): say
        // why on its Release. A store error is not the Deployment's fault: the pass fails.
        if (!e.is(DivisionException.Reason.INVALID)) throw e;
        reportInvalid(d, e.getMessage());
      }
    }
  }

  private void reconcileDeployment(Resource d) {
    DeploymentSpec wanted = DeploymentSpec.from(d);
    if (options.project() != null && !options.project().equals(wanted.project())) return;
    if (!wanted.targets(options.cluster())) return;
    String project = wanted.project();
    String app = wanted.app();
    String ref = wanted.ref();
    String request = wanted.request();

    ResourceKey releaseKey =
        new ResourceKey(
            BuiltinKinds.RELEASE, d.namespace(), DeployNames.releaseName(app, options.cluster()));
    Optional<Resource> release = store.find(releaseKey);
    if (release.isPresent() && answered(release.get(), request)) return;

    deploymentSeen(d);
    ReleaseStatus.Builder answer =
        ReleaseStatus.builder().ref(ref).request(request).updatedAt(nowInstant());
    String withdrawn = wanted.withdrawnBecause(Instant.now(clock));
    if (withdrawn != null) {
      // Cancelled or too late: a gateway that starts after the deploy gave up must not run it.
      writeRelease(
          d, releaseKey, project, app, answer.outcome(Outcome.WITHDRAWN).message(withdrawn));
      return;
    }
    String installName = DeployNames.installName(app, options.cluster(), ref);
    ResourceKey installKey = new ResourceKey(BuiltinKinds.INSTALL, d.namespace(), installName);
    Outcome outcome;
    int attempt;
    Optional<Resource> existing = store.find(installKey);
    if (existing.isEmpty()) {
      InstallSpec installSpec =
          InstallSpec.builder()
              .project(project)
              .app(app)
              .cluster(options.cluster())
              .ref(ref)
              .request(request)
              .attempt(1)
              .deadline(wanted.deadline())
              .build();
      InstallStatus status = InstallStatus.builder().phase(Phases.PENDING).attempt(1).build();
      store.create(
          new Resource(
              null,
              BuiltinKinds.INSTALL,
              ObjectMeta.named(installName, d.namespace())
                  .withLabels(
                      Map.of("division.io/app", app, "division.io/cluster", options.cluster())),
              installSpec.toJson(),
              status.toJson()));
      outcome = Outcome.STARTED;
      attempt = 1;
    } else {
      InstallStatus current = InstallStatus.from(existing.get());
      String phase = current == null ? null : current.phase();
      if (Phases.SUCCEEDED.equals(phase) && !wanted.force()) {
        outcome = Outcome.ALREADY_SUCCEEDED;
        attempt = InstallSpec.from(existing.get()).attempt();
      } else if (Phases.terminal(phase)) {
        // A failed ref, or a forced re-run: a new attempt, the previous one kept in the history.
        Resource retried =
            store.modify(
                installKey,
                i ->
                    newAttempt(
                        i, request, wanted.deadline(), phase, InstallStatus.from(i).message()));
        outcome = Outcome.STARTED;
        attempt = InstallSpec.from(retried).attempt();
        report(
            InstallEvent.Kind.RETRIED,
            installKey,
            ref,
            attempt,
            (wanted.force() && Phases.SUCCEEDED.equals(phase) ? "forced" : "after " + phase)
                + " attempt "
                + (attempt - 1),
            null);
      } else {
        // In flight already (another request for the same ref): this request follows it.
        Resource followed =
            store.modify(
                installKey,
                i ->
                    i.withSpec(
                        InstallSpec.from(i).toBuilder()
                            .request(request)
                            .deadline(wanted.deadline())
                            .build()
                            .toJson()));
        outcome = Outcome.IN_PROGRESS;
        attempt = InstallSpec.from(followed).attempt();
      }
    }
    writeRelease(
        d, releaseKey, project, app, answer.install(installName).attempt(attempt).outcome(outcome));
  }

  private void deploymentSeen(Resource d) {
    String written = d.metadata().updateTimestamp();
    if (written == null) written = d.metadata().creationTimestamp();
    if (written == null) return;
    try {
      listener.deploymentSeen(
          d.key(), Duration.between(Instant.parse(written), Instant.now(clock)));
    } catch (RuntimeException e) {
      // an unreadable timestamp or a failing listener: no lag to report
    }
  }

  /** Whether the Release already answers {@code request}; a malformed one answers nothing. */
  private static boolean answered(Resource release, String request) {
    return request.equals(release.statusText("request"));
  }

  private void writeRelease(
      Resource d,
      ResourceKey releaseKey,
      String project,
      String app,
      ReleaseStatus.Builder status) {
    ObjectNode releaseSpec = Json.object().put("app", app).put("cluster", options.cluster());
    if (project != null) releaseSpec.put("project", project);
    store.apply(
        new Resource(
            null,
            BuiltinKinds.RELEASE,
            ObjectMeta.named(releaseKey.name(), d.namespace())
                .withLabels(
                    Map.of("division.io/app", app, "division.io/cluster", options.cluster())),
            releaseSpec,
            status.build().toJson()));
  }

  private void reportInvalid(Resource d, String why) {
    String app = d.name();
    ResourceKey releaseKey =
        new ResourceKey(
            BuiltinKinds.RELEASE, d.namespace(), DeployNames.releaseName(app, options.cluster()));
    String request =
        d.spec() != null && d.spec().path("request").isTextual()
            ? d.spec().get("request").asText()
            : "";
    Optional<Resource> release = store.find(releaseKey);
    if (release.isPresent() && answered(release.get(), request)) return;
    JsonNode status =
        ReleaseStatus.builder()
            .request(request)
            .outcome(Outcome.REJECTED)
            .message(why)
            .updatedAt(nowInstant())
            .build()
            .toJson();
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
   * Pending, the attempt that ended kept in the history. {@code deadline} is the deadline of the
   * request the new attempt serves.
   */
  private static Resource newAttempt(
      Resource install,
      String request,
      Instant deadline,
      String previousPhase,
      String previousMessage) {
    InstallSpec spec = InstallSpec.from(install);
    InstallStatus old = InstallStatus.from(install);
    int attempt = spec.attempt();
    InstallStatus.Builder status =
        InstallStatus.builder()
            .phase(Phases.PENDING)
            .attempt(attempt + 1)
            .history(old == null ? List.of() : old.history());
    status.ended(
        new InstallStatus.Attempt(
            attempt,
            previousPhase,
            previousMessage,
            old == null ? null : old.startedAt(),
            old == null ? null : old.finishedAt(),
            old == null ? null : old.executorState()));
    return install
        .withSpec(
            spec.toBuilder()
                .attempt(attempt + 1)
                .request(request)
                .deadline(deadline)
                .build()
                .toJson())
        .withStatus(status.build().toJson());
  }

  // --- Installs: claim, run, adopt, finish, time out ---------------------------------------------

  public void reconcileInstalls() {
    if (!lease.held()) return;
    finishCompleted();
    Map<ResourceKey, String> stillInvalid = new HashMap<>();
    for (Resource install :
        store.list(new ListQuery(BuiltinKinds.INSTALL, options.namespace(), null)).items()) {
      if (!options.cluster().equals(InstallSpec.clusterOf(install))) continue;
      InstallStatus status;
      try {
        InstallSpec.from(install);
        status = InstallStatus.from(install);
      } catch (DivisionException e) {
        // Written by someone else in a shape this gateway cannot act on: left alone, reported.
        stillInvalid.put(install.key(), e.getMessage());
        continue;
      }
      String phase = status == null ? null : status.phase();
      if (Phases.PENDING.equals(phase)) {
        claimAndStart(install);
      } else if (Phases.RUNNING.equals(phase) && !active.containsKey(install.name())) {
        if (!gatewayId.equals(status.gateway())) adoptOrRetry(install);
      }
    }
    invalid.keySet().retainAll(stillInvalid.keySet());
    invalid.putAll(stillInvalid);
    timeOutStuck();
  }

  /**
   * The attempt as an executor sees it; {@code claimedAt} makes executor object ids reproducible.
   */
  private InstallRun runOf(Resource install, Instant claimedAt) {
    InstallSpec spec = InstallSpec.from(install);
    int attempt = spec.attempt();
    return new InstallRun(
        install.name(),
        DeployNames.objectName(install.name(), attempt),
        spec.project(),
        spec.app(),
        spec.ref(),
        options.cluster(),
        install.namespace(),
        attempt,
        claimedAt);
  }

  private void claimAndStart(Resource pending) {
    InstallRun run;
    Instant claimedAt = nowInstant();
    int pendingAttempt = InstallSpec.from(pending).attempt();
    String withdrawn = withdrawnBecause(pending);
    if (withdrawn != null) {
      finish(pending.key(), pendingAttempt, false, "not started: " + withdrawn, null);
      return;
    }
    try {
      run = runOf(pending, claimedAt);
    } catch (IllegalArgumentException | DivisionException e) {
      finish(pending.key(), pendingAttempt, false, "rejected: " + e.getMessage(), null);
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
                InstallStatus current = InstallStatus.from(i);
                if (current == null
                    || !Phases.PENDING.equals(current.phase())
                    || InstallSpec.from(i).attempt() != run.attempt()) {
                  throw new LostClaim();
                }
                InstallStatus status =
                    current.toBuilder()
                        .phase(Phases.RUNNING)
                        .attempt(run.attempt())
                        .startedAt(claimedAt)
                        .gateway(gatewayId)
                        .executor(executor.name())
                        .executorObject(run.objectName())
                        .logStart(logStart)
                        .finishedAt(null)
                        .message(null)
                        .build();
                return i.withStatus(status.toJson());
              });
    } catch (LostClaim e) {
      return; // another gateway claimed it first
    }
    report(
        InstallEvent.Kind.CLAIMED,
        claimed.key(),
        run.ref(),
        run.attempt(),
        "by " + gatewayId + " (" + executor.name() + ")",
        null);
    start(claimed.key(), run);
  }

  /**
   * Why a Pending attempt must not start any more, or null: the deadline of the request it serves
   * has passed, or that request was cancelled. A gateway that comes up after a deploy gave up thus
   * does not install it.
   */
  private String withdrawnBecause(Resource pending) {
    InstallSpec spec = InstallSpec.from(pending);
    Instant now = Instant.now(clock);
    if (spec.deadline() != null && !now.isBefore(spec.deadline()))
      return "the deploy of " + spec.ref() + " passed its deadline " + spec.deadline();
    Optional<Resource> deployment =
        store.find(new ResourceKey(BuiltinKinds.DEPLOYMENT, pending.namespace(), spec.app()));
    if (deployment.isEmpty()) return null;
    DeploymentSpec wanted;
    try {
      wanted = DeploymentSpec.from(deployment.get());
    } catch (DivisionException e) {
      return null; // reported on the Release by reconcileDeployments
    }
    if (wanted.cancelled() && wanted.request().equals(spec.request()))
      return "the deploy of " + spec.ref() + " was cancelled";
    return null;
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
      report(InstallEvent.Kind.STARTED, key, run.ref(), run.attempt(), handle.state(), null);
      store.modify(
          key,
          i ->
              i.withStatus(
                  InstallStatus.from(i).toBuilder()
                      .executorState(handle.state())
                      .build()
                      .toJson()));
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
    InstallStatus status = InstallStatus.from(install);
    Instant startedAt = status.startedAt();
    InstallRun run = runOf(install, startedAt == null ? Instant.now(clock) : startedAt);
    LogBatcher log = LogBatcher.forStore(store, install.key());
    try {
      Optional<Executor.Handle> adopted = executor.adopt(run, log::add, status.executorState());
      if (adopted.isPresent()) {
        store.modify(
            install.key(),
            i ->
                i.withStatus(
                    InstallStatus.from(i).toBuilder().gateway(gatewayId).build().toJson()));
        active.put(
            install.name(),
            new Active(install.key(), run.attempt(), adopted.get(), log, Instant.now(clock)));
        return;
      }
    } catch (Executor.ExecutorException e) {
      log.add("[gateway] cannot re-adopt: " + e.getMessage());
    }
    log.close();
    long interrupted = status.attemptsEndedAs(INTERRUPTED);
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
        i -> {
          InstallSpec spec = InstallSpec.from(i);
          return newAttempt(
              i,
              spec.request(),
              spec.deadline(),
              INTERRUPTED,
              "the gateway restarted while it ran");
        });
    report(
        InstallEvent.Kind.RETRIED,
        install.key(),
        run.ref(),
        run.attempt() + 1,
        "attempt " + run.attempt() + " was interrupted by a gateway restart",
        null);
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
    Instant[] started = new Instant[1];
    String[] ref = new String[1];
    boolean[] written = new boolean[1];
    try {
      store.modify(
          key,
          i -> {
            InstallStatus current = InstallStatus.from(i);
            written[0] = false;
            if (InstallSpec.from(i).attempt() != attempt || current == null || current.terminal())
              return i;
            InstallStatus status =
                current.toBuilder()
                    .phase(succeeded ? Phases.SUCCEEDED : Phases.FAILED)
                    .finishedAt(nowInstant())
                    .message(message)
                    .build();
            started[0] = current.startedAt();
            ref[0] = InstallSpec.from(i).ref();
            written[0] = true;
            return i.withStatus(status.toJson());
          });
    } catch (StoreException e) {
      if (!e.is(StoreException.Reason.NOT_FOUND)) throw e; // deleted meanwhile: nothing to record
    }
    if (written[0])
      report(
          succeeded ? InstallEvent.Kind.SUCCEEDED : InstallEvent.Kind.FAILED,
          key,
          ref[0],
          attempt,
          message,
          started[0] == null ? null : Duration.between(started[0], Instant.now(clock)));
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
            i -> {
              InstallSpec spec = InstallSpec.from(i);
              InstallStatus status = InstallStatus.from(i);
              return spec.attempt() == a.attempt()
                      && status != null
                      && Phases.RUNNING.equals(status.phase())
                  ? newAttempt(
                      i,
                      spec.request(),
                      spec.deadline(),
                      INTERRUPTED,
                      "the gateway stopped while it ran")
                  : i;
            });
        report(
            InstallEvent.Kind.RETRIED,
            a.key(),
            null,
            a.attempt() + 1,
            "attempt " + a.attempt() + " was stopped with the gateway; it will run again",
            null);
      } catch (StoreException e) {
        // the store is unreachable: the next gateway will find the attempt Running and retry it
      }
    }
    active.clear();
  }
}
