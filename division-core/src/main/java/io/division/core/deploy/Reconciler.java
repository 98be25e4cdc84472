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
import io.division.core.model.Json;
import io.division.core.model.ObjectMeta;
import io.division.core.model.Resource;
import io.division.core.model.ResourceKey;
import io.division.core.store.ListQuery;
import io.division.core.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One cluster's reconciliation, Deployments → Releases → Installs, one pass at a time; the gateway
 * daemon (module division-gateway) decides when passes run and holds the cluster {@link Lease}.
 * Every write is a read-modify-write with optimistic concurrency, so two gateways racing for the
 * same Install cannot both run it: one claim wins, the other sees Running and leaves it.
 *
 * <p>This class turns Deployments into Releases and Installs; what happens to an Install after that
 * (claim, run, adopt, finish, time out, and who may write its status) is {@link InstallLifecycle}.
 */
public final class Reconciler implements AutoCloseable {
  private final Store store;
  private final GatewayOptions options;
  private final Clock clock;
  private final Lease lease;
  private final InstallLifecycle installs;
  private InstallEvent.Listener listener = InstallEvent.Listener.NONE;

  public Reconciler(
      Store store, GatewayOptions options, Executor executor, Lease lease, Clock clock) {
    this(store, options, executor, lease, clock, line -> {});
  }

  /** {@code events}: the gateway's own log (malformed objects skipped, adoptions, a lost lease). */
  public Reconciler(
      Store store,
      GatewayOptions options,
      Executor executor,
      Lease lease,
      Clock clock,
      Consumer<String> events) {
    this.store = store;
    this.options = options;
    this.lease = lease;
    this.clock = clock;
    this.installs = new InstallLifecycle(store, options, executor, lease, clock, events);
  }

  public String gatewayId() {
    return lease.holder();
  }

  /** Where install transitions and Deployment lags are reported (the gateway's log and metrics). */
  public Reconciler listener(InstallEvent.Listener listener) {
    this.listener = listener == null ? InstallEvent.Listener.NONE : listener;
    installs.listener(this.listener);
    return this;
  }

  /** Attempts this gateway process follows now. */
  public int activeCount() {
    return installs.activeCount();
  }

  /**
   * Installs of this cluster the last pass could not act on, with why (a malformed spec or status
   * written into the store by someone else).
   */
  public Map<ResourceKey, String> invalidInstalls() {
    return installs.invalid();
  }

  /**
   * Looks at the attempts this gateway follows, without reading the store (their output is
   * forwarded as it comes): whether any has ended, so the caller runs a pass to record it now.
   */
  public boolean attemptEnded() {
    return installs.anyEnded();
  }

  /** One pass over this cluster's Installs: see {@link InstallLifecycle}. */
  public void reconcileInstalls() {
    installs.reconcile();
  }

  /**
   * The lease is held by another gateway now: stop following every attempt, without stopping it and
   * without writing anything; the new leader adopts them.
   */
  public void relinquish() {
    installs.relinquish();
  }

  /**
   * Stops gracefully, leaving running attempts to the next gateway (see {@link InstallLifecycle}).
   */
  @Override
  public void close() {
    installs.close();
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
                    InstallLifecycle.newAttempt(
                        i, request, wanted.deadline(), phase, InstallStatus.from(i).message()));
        outcome = Outcome.STARTED;
        attempt = InstallSpec.from(retried).attempt();
        installs.report(
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
}
