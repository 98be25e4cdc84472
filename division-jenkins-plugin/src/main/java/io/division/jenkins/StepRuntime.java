package io.division.jenkins;

import hudson.model.Run;
import io.division.core.Division;
import io.division.core.approval.sshsig.SigningKey;
import io.division.core.wait.SharedWaits;
import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/**
 * What the steps need from their surroundings: a scheduler that must never be blocked, a clock, an
 * open store for a run, and the build page for approvals. In Jenkins this is {@link
 * JenkinsStepRuntime} (Jenkins' shared {@code Timer}, the global configuration, credentials and run
 * actions); tests outside Jenkins put their own in place with {@link #use}.
 */
public abstract class StepRuntime {
  private static volatile StepRuntime installed;

  private final Map<Division, SharedWaits> waits = new ConcurrentHashMap<>();

  public static StepRuntime current() {
    StepRuntime r = installed;
    return r != null ? r : JenkinsStepRuntime.INSTANCE;
  }

  /** For tests that run the steps without Jenkins; {@code null} restores the Jenkins runtime. */
  static void use(StepRuntime runtime) {
    installed = runtime;
  }

  /** Where checks and advances run: short, non-blocking tasks only. */
  public abstract ScheduledExecutorService timer();

  public Clock clock() {
    return Clock.systemUTC();
  }

  /**
   * The store and namespace a step works in: {@code choice} completed from the global
   * configuration, with the AWS credentials it names looked up for {@code run} (which may be {@code
   * null} outside a build).
   */
  public abstract Connection connect(StoreChoice choice, Run<?, ?> run)
      throws IOException, InterruptedException;

  /**
   * The waits on one store: every divWait of the controller on that store shares one poller per
   * kind, running on {@link #timer()}.
   */
  public SharedWaits waits(Division division) {
    return waits.computeIfAbsent(
        division, d -> SharedWaits.builder(d.store(), timer()).clock(clock()).build());
  }

  /** Stops every shared poller (the controller is shutting down; the waits resume after it). */
  public void closeWaits() {
    waits.values().forEach(SharedWaits::close);
    waits.clear();
  }

  /**
   * The controller's signing key ({@link ControllerKey}): decisions made on build pages are signed
   * with it.
   *
   * @throws io.division.core.DivisionException when the configured key cannot be read, or none can
   *     be created
   */
  public abstract SigningKey signingKey();

  /** The allowed-signers file a {@code divWait} uses when it names none; null when none is set. */
  public abstract String defaultAllowedSigners();

  /** A divWait started waiting on an approval: offer Approve and Reject on the build page. */
  public abstract void approvalWaiting(StepContext context, ApprovalRequest request)
      throws IOException, InterruptedException;

  /** That wait ended (granted, rejected, deleted, timed out or aborted): take the buttons away. */
  public abstract void approvalEnded(StepContext context, ApprovalRequest request)
      throws IOException, InterruptedException;
}
