package io.division.core.deploy;

import io.division.core.deploy.DeployProgress.Line;
import io.division.core.deploy.DeployProgress.TargetProgress;
import io.division.core.deploy.DeploySubmission.Ended;
import io.division.core.deploy.DeploySubmission.Target;
import io.division.core.deploy.status.DeploymentSpec;
import io.division.core.deploy.status.InstallSpec;
import io.division.core.deploy.status.InstallStatus;
import io.division.core.deploy.status.ReleaseStatus;
import io.division.core.kind.BuiltinKinds;
import io.division.core.model.Resource;
import io.division.core.model.ResourceKey;
import io.division.core.store.LogLine;
import io.division.core.store.Store;
import io.division.core.time.Durations;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One {@link Deployer#advance} pass over the store for one submission: follows each target from the
 * Deployment's request to the Release answering it, to the Install attempt it names and its log.
 * Reads each Deployment and each cluster at most once per pass.
 */
final class AdvancePass {
  /** What a pass saw of a target that has not ended. */
  record Seen(String phase, String message) {}

  private final Store store;
  private final DeploySubmission submission;
  final Instant now;
  final List<Line> lines = new ArrayList<>();
  private final Map<String, Optional<DeploymentSpec>> deployments = new HashMap<>();
  private final Map<String, String> gatewaySeen = new HashMap<>();

  AdvancePass(Store store, DeploySubmission submission, Instant now) {
    this.store = store;
    this.submission = submission;
    this.now = now;
  }

  private String namespace() {
    return submission.namespace();
  }

  Optional<DeploymentSpec> deployment(String app) {
    return deployments.computeIfAbsent(
        app,
        a ->
            store
                .find(new ResourceKey(BuiltinKinds.DEPLOYMENT, namespace(), a))
                .map(DeploymentSpec::from));
  }

  Seen advance(Target.Builder t) {
    if (t.install == null) {
      Optional<DeploymentSpec> wanted = deployment(t.app);
      if (wanted.isEmpty() || !wanted.get().request().equals(t.request)) {
        t.ended =
            new Ended(
                Deployer.SUPERSEDED,
                "another deploy replaced this request before cluster " + t.cluster + " answered it",
                false);
        return null;
      }
      ReleaseStatus answer =
          store
              .find(
                  new ResourceKey(
                      BuiltinKinds.RELEASE, namespace(), DeployNames.releaseName(t.app, t.cluster)))
              .map(ReleaseStatus::from)
              .filter(r -> r.answers(t.request))
              .orElse(null);
      if (answer == null) {
        if (wanted.get().cancelled()) {
          t.ended =
              new Ended(
                  Deployer.CANCELLED,
                  "cancelled before cluster " + t.cluster + " answered it",
                  false);
          return null;
        }
        return waiting(t);
      }
      switch (answer.outcome()) {
        case ALREADY_SUCCEEDED -> {
          t.install = answer.install();
          t.attempt = answer.attempt();
          t.ended =
              new Ended(
                  Phases.SUCCEEDED, "already installed (a forced deploy runs it again)", true);
          lines.add(new Line(t.cluster, t.app, t.ended.message()));
          return null;
        }
        case REJECTED -> {
          t.ended = new Ended(Phases.FAILED, "rejected by the gateway: " + answer.message(), false);
          return null;
        }
        case WITHDRAWN -> {
          // Cancelled, or the gateway found the deadline passed (its clock may run ahead).
          String phase = wanted.get().cancelled() ? Deployer.CANCELLED : Deployer.EXPIRED;
          t.ended = new Ended(phase, answer.message(), false);
          return null;
        }
        case STARTED, IN_PROGRESS -> {
          t.install = answer.install();
          t.attempt = answer.attempt();
        }
      }
    }
    ResourceKey key = new ResourceKey(BuiltinKinds.INSTALL, namespace(), t.install);
    Optional<Resource> found = store.find(key);
    if (found.isEmpty()) {
      t.ended = new Ended(Phases.FAILED, "install/" + t.install + " was deleted", false);
      return null;
    }
    InstallSpec spec = InstallSpec.from(found.get());
    InstallStatus status = InstallStatus.from(found.get());
    if (spec.attempt() > t.attempt) t.attempt = spec.attempt(); // an interrupted attempt, retried
    if (status == null || status.attempt() != t.attempt) {
      return new Seen(Phases.PENDING, null); // the gateway has not caught up with this attempt
    }
    if (status.logStart() != null && t.logPosition == null) t.logPosition = status.logStart() - 1;
    boolean drained = true;
    if (t.logPosition != null) {
      List<LogLine> page = store.readLog(key, t.logPosition, Deployer.LOG_PAGE);
      for (LogLine line : page) {
        t.logPosition = line.seq();
        lines.add(new Line(t.cluster, t.app, line.text()));
      }
      drained = page.size() < Deployer.LOG_PAGE;
    }
    if (status.terminal() && drained) {
      t.ended =
          status.startedAt() == null && cancelled(t)
              ? new Ended(Deployer.CANCELLED, status.message(), false)
              : new Ended(status.phase(), status.message(), status.succeeded());
      return null;
    }
    return new Seen(status.phase(), status.message());
  }

  /** Whether the Deployment still asks for this target's request, and cancelled it. */
  private boolean cancelled(Target.Builder t) {
    Optional<DeploymentSpec> wanted = deployment(t.app);
    return wanted.isPresent()
        && wanted.get().request().equals(t.request)
        && wanted.get().cancelled();
  }

  private Seen waiting(Target.Builder t) {
    if (Duration.between(submission.submittedAt(), now).compareTo(Deployer.NUDGE_AFTER) < 0)
      return new Seen(Deployer.WAITING, null);
    String seen = gatewaySeen(t.cluster);
    if (!t.nudged) {
      // A silent wait is the worst kind: say once what is being waited for.
      t.nudged = true;
      lines.add(
          new Line(
              t.cluster,
              t.app,
              "no answer yet from the gateway of cluster " + t.cluster + " (" + seen + ")"));
    }
    return new Seen(Deployer.WAITING, "no answer yet: " + seen);
  }

  /** When the gateway of a cluster was last seen, in words. */
  String gatewaySeen(String cluster) {
    return gatewaySeen.computeIfAbsent(
        cluster,
        c -> {
          Optional<Resource> found = store.find(new ResourceKey(BuiltinKinds.CLUSTER, "", c));
          if (found.isEmpty()) return "no gateway has ever registered cluster " + c;
          Instant beat = heartbeatOf(found.get());
          if (beat == null) return "the gateway of cluster " + c + " has no heartbeat";
          Duration ago = Duration.between(beat, now);
          if (ago.isNegative()) ago = Duration.ZERO;
          return "its gateway was last seen "
              + Durations.format(ago.truncatedTo(ChronoUnit.SECONDS))
              + " ago";
        });
  }

  TargetProgress progressOf(Target.Builder t, Seen seen) {
    String phase = t.ended != null ? t.ended.phase() : seen.phase();
    String message = t.ended != null ? t.ended.message() : seen.message();
    return new TargetProgress(
        t.cluster,
        t.app,
        submission.ref(),
        t.install,
        t.attempt,
        phase,
        message,
        t.ended != null,
        t.ended != null && t.ended.succeeded());
  }

  List<TargetProgress> timedOut(List<TargetProgress> progress) {
    String after =
        "timed out after "
            + Durations.format(Duration.between(submission.submittedAt(), submission.deadline()));
    List<TargetProgress> out = new ArrayList<>();
    for (TargetProgress p : progress) {
      if (p.done()) {
        out.add(p);
        continue;
      }
      String why =
          p.install() == null
              ? after
                  + ": no gateway answered for cluster "
                  + p.cluster()
                  + " ("
                  + gatewaySeen(p.cluster())
                  + ")"
              : after;
      out.add(
          new TargetProgress(
              p.cluster(),
              p.app(),
              p.ref(),
              p.install(),
              p.attempt(),
              p.phase(),
              why,
              false,
              false));
    }
    return out;
  }

  static Instant heartbeatOf(Resource cluster) {
    String beat = cluster.statusText("lastHeartbeat");
    if (beat == null) return null;
    try {
      return Instant.parse(beat);
    } catch (DateTimeParseException e) {
      return null; // a heartbeat nobody can read is no heartbeat
    }
  }
}
