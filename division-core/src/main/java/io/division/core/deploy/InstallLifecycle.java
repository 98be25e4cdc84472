package io.division.core.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.division.core.DivisionException;
import io.division.core.deploy.status.DeploymentSpec;
import io.division.core.deploy.status.InstallSpec;
import io.division.core.deploy.status.InstallStatus;
import io.division.core.kind.BuiltinKinds;
import io.division.core.logs.LogBatcher;
import io.division.core.model.Json;
import io.division.core.model.Messages;
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
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * What happens to one cluster's Installs once they exist, one pass at a time: a Pending attempt is
 * claimed and started, a Running one this process does not follow is adopted, a finished one gets
 * its outcome recorded, one running past the install timeout is stopped.
 *
 * <p>Every rule about who may write an Install's status is here, so it can be checked in one
 * reading (hence longer than our usual 400 lines): status is written only through {@link
 * #writeFenced} (the lease, checked before and inside each read-modify-write, whose resourceVersion
 * check catches a new leader's write in between), an outcome only for an attempt that is still this
 * gateway's, and what an executor runs or stops comes from its own records, never the store.
 */
final class InstallLifecycle implements AutoCloseable {
  /** The phase an attempt whose outcome was lost ends with in the history. */
  static final String UNKNOWN = "Unknown";

  private final Store store;
  private final GatewayOptions options;
  private final Executor executor;
  private final Clock clock;
  private final Lease lease;
  private final String gatewayId;
  private final Consumer<String> events;
  private final Map<ResourceKey, Active> active = new HashMap<>();
  private final Map<ResourceKey, String> invalid = new java.util.concurrent.ConcurrentHashMap<>();
  private InstallEvent.Listener listener = InstallEvent.Listener.NONE;

  /** The lease generation under which the attempts in {@link #active} were started or adopted. */
  private long followingGeneration = -1;

  /** An attempt this gateway process follows; {@code stopping} once it was asked to stop. */
  private static final class Active {
    final ResourceKey key;
    final int attempt;
    final Executor.Handle handle;
    final LogBatcher log;
    final Instant startedAt;
    String stopping;

    /** The outcome, once the executor reported it; kept until it is recorded in the store. */
    Executor.Outcome outcome;

    Active(
        ResourceKey key, int attempt, Executor.Handle handle, LogBatcher log, Instant startedAt) {
      this.key = key;
      this.attempt = attempt;
      this.handle = handle;
      this.log = log;
      this.startedAt = startedAt;
    }
  }

  InstallLifecycle(
      Store store,
      GatewayOptions options,
      Executor executor,
      Lease lease,
      Clock clock,
      Consumer<String> events) {
    this.store = store;
    this.options = options;
    this.executor = executor;
    this.lease = lease;
    this.clock = clock;
    this.events = events;
    this.gatewayId = lease.holder();
  }

  void listener(InstallEvent.Listener listener) {
    this.listener = listener;
  }

  int activeCount() {
    return active.size();
  }

  Map<ResourceKey, String> invalid() {
    return Map.copyOf(invalid);
  }

  void report(
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

  private Instant nowInstant() {
    return Instant.now(clock).truncatedTo(ChronoUnit.MILLIS);
  }

  /**
   * The next attempt of an install: spec.attempt+1 (so its generation moves), status back to
   * Pending, the attempt that ended kept in the history. {@code deadline} is the deadline of the
   * request the new attempt serves.
   */
  static Resource newAttempt(
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

  /**
   * One pass: records the outcomes of attempts that ended, claims and starts Pending attempts,
   * adopts Running ones no process of this gateway follows, asks attempts past the install timeout
   * to stop. Malformed Installs are reported and skipped; store errors are left to the caller.
   */
  void reconcile() {
    // Without the lease nothing is written; the attempts followed are kept, not dropped: if the
    // lease comes back at the same generation (a slow pass, a short pause, and nobody else took
    // it) they are still this gateway's, and dropping them would make it adopt its own attempts.
    if (!lease.held()) return;
    if (lease.generation() != followingGeneration) {
      relinquish(); // held by another gateway in between: it adopted them
      followingGeneration = lease.generation();
    }
    try {
      finishCompleted();
      Map<ResourceKey, String> stillInvalid = new HashMap<>();
      for (Resource install :
          store.list(new ListQuery(BuiltinKinds.INSTALL, options.namespace(), null)).items()) {
        if (!options.cluster().equals(InstallSpec.clusterOf(install))) continue;
        try {
          reconcileInstall(install);
        } catch (StoreException e) {
          throw e; // a race or an outage: the gateway's loop deals with those
        } catch (LostLease e) {
          throw e;
        } catch (RuntimeException e) {
          // Written by someone else in a shape this gateway cannot act on: reported, skipped;
          // every other install is served all the same.
          stillInvalid.put(install.key(), report(install, e));
        }
      }
      for (ResourceKey readable : invalid.keySet())
        if (!stillInvalid.containsKey(readable))
          events.accept("install " + describe(readable) + ": readable again");
      invalid.keySet().retainAll(stillInvalid.keySet());
      invalid.putAll(stillInvalid);
      timeOutStuck();
    } catch (LostLease e) {
      // Lapsed during this pass: stop writing; the next pass with the lease carries on.
    }
  }

  private void reconcileInstall(Resource install) {
    InstallSpec.from(install);
    InstallStatus status = InstallStatus.from(install);
    String phase = status == null ? null : status.phase();
    if (Phases.PENDING.equals(phase)) {
      claimAndStart(install);
    } else if (Phases.RUNNING.equals(phase) && !active.containsKey(install.key())) {
      adopt(install, status);
    }
  }

  /**
   * Says once, in the gateway's log and on the Install's own status ({@code status.problem}), why
   * an Install is skipped; returns the reason.
   */
  private String report(Resource install, RuntimeException e) {
    String why =
        e instanceof DivisionException
            ? Messages.oneLine(e.getMessage())
            : e.getClass().getSimpleName() + ": " + Messages.oneLine(e.getMessage());
    if (why.equals(invalid.get(install.key()))) return why;
    events.accept("install " + describe(install.key()) + " skipped: " + why);
    try {
      writeFenced(
          install.key(),
          i -> {
            ObjectNode status =
                i.status() != null && i.status().isObject()
                    ? ((ObjectNode) i.status()).deepCopy()
                    : Json.object();
            String problem = "skipped by the gateway: " + why;
            if (problem.equals(status.path("problem").asText(null))) return i;
            return i.withStatus(status.put("problem", problem));
          });
    } catch (RuntimeException writeFailed) {
      // the log line above is the report then
    }
    return why;
  }

  private static String describe(ResourceKey key) {
    return key.namespace() + "/" + key.name();
  }

  /**
   * Every status write of an Install goes through here: nothing is written once this gateway's
   * lease has run out, checked before reading and again inside the read-modify-write, which fails
   * on a resourceVersion conflict if anyone (a new leader) wrote in between.
   */
  private Resource writeFenced(ResourceKey key, UnaryOperator<Resource> change) {
    if (!lease.held()) throw new LostLease();
    return store.modify(
        key,
        i -> {
          if (!lease.held()) throw new LostLease();
          return change.apply(i);
        });
  }

  /** Thrown when this gateway finds it no longer holds the cluster lease. */
  private static final class LostLease extends RuntimeException {
    LostLease() {
      super(null, null, false, false);
    }
  }

  /**
   * The lease is lost: stop following every attempt, without stopping it and without writing
   * anything; the new leader adopts them.
   */
  void relinquish() {
    if (active.isEmpty()) return;
    events.accept(
        "lease lost: handing " + active.size() + " running attempt(s) over to the new leader");
    for (Active a : active.values()) a.log.close();
    active.clear();
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
          writeFenced(
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
      active.put(key, new Active(key, run.attempt(), handle, log, Instant.now(clock)));
      report(InstallEvent.Kind.STARTED, key, run.ref(), run.attempt(), handle.state(), null);
      writeFenced(
          key,
          i ->
              owned(i, run.attempt())
                  ? i.withStatus(
                      InstallStatus.from(i).toBuilder()
                          .executorState(handle.state())
                          .build()
                          .toJson())
                  : i);
    } catch (Executor.ExecutorException e) {
      log.add("[gateway] " + e.getMessage());
      log.close();
      finish(key, run.attempt(), false, e.getMessage(), null);
    }
  }

  /** Whether the install is still at this attempt, Running, and claimed by this gateway. */
  private boolean owned(Resource install, int attempt) {
    InstallStatus status = InstallStatus.from(install);
    return InstallSpec.from(install).attempt() == attempt
        && status != null
        && Phases.RUNNING.equals(status.phase())
        && gatewayId.equals(status.gateway());
  }

  /**
   * A Running install this gateway process does not follow: an earlier gateway process (crashed,
   * stopped, or one that lost the lease) started it. It is taken over in the store first, so the
   * previous owner, should it wake up, can no longer record its outcome; then the executor says
   * what it knows of it from its own records: running or finished, it is followed to its outcome.
   * If the outcome cannot be known it is run again only as far as the Application's {@code
   * spec.retry.unknownOutcome} allows (default: never); else it fails saying so, and a new deploy
   * runs it again.
   */
  private void adopt(Resource install, InstallStatus status) {
    int attempt = InstallSpec.from(install).attempt();
    Instant startedAt = status.startedAt();
    InstallRun run = runOf(install, startedAt == null ? Instant.now(clock) : startedAt);
    try {
      writeFenced(
          install.key(),
          i -> {
            InstallStatus now = InstallStatus.from(i);
            if (InstallSpec.from(i).attempt() != attempt
                || now == null
                || !Phases.RUNNING.equals(now.phase())) throw new LostClaim();
            return gatewayId.equals(now.gateway())
                ? i
                : i.withStatus(now.toBuilder().gateway(gatewayId).build().toJson());
          });
    } catch (LostClaim e) {
      return; // moved on meanwhile: the next pass sees what it is now
    }
    LogBatcher log = LogBatcher.forStore(store, install.key());
    Executor.Adoption adoption;
    try {
      adoption = executor.adopt(run, log::add);
    } catch (Executor.ExecutorException e) {
      adoption = Executor.Adoption.unknown(e.getMessage());
    }
    if (adoption.known()) {
      events.accept("install " + describe(install.key()) + ": adopted attempt " + attempt);
      active.put(
          install.key(),
          new Active(
              install.key(),
              attempt,
              adoption.handle(),
              log,
              startedAt == null ? Instant.now(clock) : startedAt));
      return;
    }
    String why = adoption.unknownReason();
    events.accept("install " + describe(install.key()) + ": outcome unknown (" + why + ")");
    if (status.attemptsEndedAs(UNKNOWN) >= unknownOutcomeRetries(install)) {
      log.add(
          "[gateway] the outcome of attempt "
              + attempt
              + " is unknown ("
              + why
              + "); not running it again: deploy again to retry");
      log.close();
      finish(
          install.key(),
          attempt,
          false,
          "outcome unknown: " + why + "; deploy again to retry",
          null);
      return;
    }
    log.add(
        "[gateway] the outcome of attempt "
            + attempt
            + " is unknown ("
            + why
            + "); running it again, as the application's retry policy allows");
    log.close();
    writeFenced(
        install.key(),
        i -> {
          if (!owned(i, attempt)) return i;
          InstallSpec spec = InstallSpec.from(i);
          return newAttempt(i, spec.request(), spec.deadline(), UNKNOWN, why);
        });
    report(
        InstallEvent.Kind.RETRIED,
        install.key(),
        run.ref(),
        run.attempt() + 1,
        "attempt " + run.attempt() + " was interrupted by a gateway restart",
        null);
  }

  /**
   * How many times the Application lets the gateway re-run an attempt whose outcome was lost
   * ({@code spec.retry.unknownOutcome}, at most 10); 0 if not said or not a whole number.
   */
  private int unknownOutcomeRetries(Resource install) {
    String app = InstallSpec.from(install).app();
    JsonNode n =
        store
            .find(new ResourceKey(BuiltinKinds.APPLICATION, install.namespace(), app))
            .map(a -> a.spec() == null ? null : a.spec().path("retry").path("unknownOutcome"))
            .orElse(null);
    return n != null && n.isIntegralNumber() ? Math.max(0, Math.min(n.asInt(), 10)) : 0;
  }

  /** Polls the attempts followed; true if one has ended and its outcome waits to be written. */
  boolean anyEnded() {
    if (!lease.held()) return false;
    boolean ended = false;
    for (Active a : active.values()) {
      if (a.outcome == null) a.outcome = a.handle.poll();
      if (a.outcome != null) ended = true;
    }
    return ended;
  }

  /**
   * Records the outcome of attempts that ended. An attempt leaves {@link #active} only once its
   * outcome is written: if the lease lapses first, the next pass writes it.
   */
  private void finishCompleted() {
    for (Iterator<Active> it = active.values().iterator(); it.hasNext(); ) {
      Active a = it.next();
      if (a.outcome == null) a.outcome = a.handle.poll();
      if (a.outcome == null) continue;
      a.log.close();
      String message =
          a.stopping == null ? a.outcome.message() : a.stopping + " (" + a.outcome.message() + ")";
      finish(a.key, a.attempt, a.stopping == null && a.outcome.succeeded(), message, a);
      it.remove();
    }
  }

  /**
   * Asks attempts running past the install timeout to stop. They stay Running until they have: a
   * next attempt never overlaps one that is still stopping.
   */
  private void timeOutStuck() {
    Instant now = Instant.now(clock);
    for (Active a : active.values()) {
      if (a.stopping != null
          || a.outcome != null
          || Duration.between(a.startedAt, now).compareTo(options.installTimeout()) < 0) continue;
      a.stopping =
          "timed out after " + io.division.core.time.Durations.format(options.installTimeout());
      a.log.add("[gateway] " + a.stopping + "; stopping it");
      a.handle.cancel();
    }
  }

  /**
   * Records the outcome, unless the install has moved on to another attempt or (for an attempt this
   * gateway followed) to another gateway meanwhile; then lets the executor drop its record.
   */
  private void finish(
      ResourceKey key, int attempt, boolean succeeded, String message, Active from) {
    Instant[] started = new Instant[1];
    String[] ref = new String[1];
    boolean[] written = new boolean[1];
    try {
      writeFenced(
          key,
          i -> {
            InstallStatus current = InstallStatus.from(i);
            written[0] = false;
            if (InstallSpec.from(i).attempt() != attempt || current == null || current.terminal())
              return i;
            if (from != null && !gatewayId.equals(current.gateway())) return i;
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
      if (from != null) from.handle.forget();
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
   * Stops gracefully: attempts still running are left running, neither stopped nor run again, and
   * stay Running in the store; the next gateway (a restart, or the standby taking the lease) adopts
   * them and records their outcome. Stopping them here could not make them run once: a command
   * stopped halfway may have done half its work.
   */
  @Override
  public void close() {
    for (Active a : active.values()) {
      if (a.outcome != null) continue; // ended, its outcome not yet written: the next gateway does
      a.log.add("[gateway] the gateway stopped while this attempt ran; the next gateway adopts it");
      a.log.close();
    }
    active.clear();
  }
}
