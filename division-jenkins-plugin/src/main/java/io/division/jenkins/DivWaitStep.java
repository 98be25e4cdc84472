package io.division.jenkins;

import hudson.Extension;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.division.core.DivisionException;
import io.division.core.model.ResourceKey;
import io.division.core.time.Durations;
import io.division.core.wait.WaitSpec;
import java.time.Duration;
import java.util.Set;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code divWait(kind: 'approval', name: 'release-42', until: "status.phase = 'Approved'",
 * failWhen: "status.phase = 'Rejected'", timeout: '2h')}: waits for any resource condition (or,
 * with {@code forCondition}, kubectl's {@code --for} forms: {@code condition=Ready}, {@code
 * delete}, {@code create}) and returns the matched resource as a map. It needs no {@code node {}},
 * holds no thread (the check is one shared poller per store and kind on Jenkins' Timer), keeps only
 * its serializable wait spec, and resumes after a restart. A fail-when or a deletion fails the
 * build with the reason; the timeout fails it as a timeout. While it waits on an Approval, the
 * build page offers Approve and Reject. With an allowed-signers file ({@code allowedSigners:}, or
 * the global default), an approval counts only decisions signed by a key that file allows for the
 * decider, as {@code div wait --allowed-signers} does; the build log says why any other did not
 * count.
 */
public final class DivWaitStep extends DivisionStep {
  public static final String FUNCTION = "divWait";
  static final Duration DEFAULT_PROGRESS_EVERY = Duration.ofMinutes(5);

  private final String kind;
  private final String name;
  private String until;
  private String failWhen;
  private String forCondition;
  private String timeout;
  private boolean logs;
  private String approverPermission;
  private String progressEvery;
  private String allowedSigners;

  @DataBoundConstructor
  public DivWaitStep(String kind, String name) {
    this.kind = kind;
    this.name = name;
  }

  public String getKind() {
    return kind;
  }

  public String getName() {
    return name;
  }

  public String getUntil() {
    return until;
  }

  /** A condition in the expression language: {@code status.phase = 'Approved'}. */
  @DataBoundSetter
  public void setUntil(String until) {
    this.until = StoreChoice.blankToNull(until);
  }

  public String getFailWhen() {
    return failWhen;
  }

  /** A condition that fails the step when it holds: {@code status.phase = 'Rejected'}. */
  @DataBoundSetter
  public void setFailWhen(String failWhen) {
    this.failWhen = StoreChoice.blankToNull(failWhen);
  }

  public String getForCondition() {
    return forCondition;
  }

  /**
   * kubectl's {@code --for}: {@code condition=Ready}, {@code jsonpath='{.x}'=y}, delete, create.
   */
  @DataBoundSetter
  public void setForCondition(String forCondition) {
    this.forCondition = StoreChoice.blankToNull(forCondition);
  }

  public String getTimeout() {
    return timeout;
  }

  /** {@code 90s}, {@code 30m}, {@code 2h}; none: wait until the condition or the build's end. */
  @DataBoundSetter
  public void setTimeout(String timeout) {
    this.timeout = StoreChoice.blankToNull(timeout);
  }

  public boolean isLogs() {
    return logs;
  }

  /** Copy the awaited resource's log stream into the build log while waiting. */
  @DataBoundSetter
  public void setLogs(boolean logs) {
    this.logs = logs;
  }

  public String getApproverPermission() {
    return approverPermission;
  }

  /**
   * The Jenkins permission that lets a user decide an approval that lists no approvers, by id
   * ({@code hudson.model.Item.Build}, the default; {@code hudson.model.Run.Update}, ...).
   */
  @DataBoundSetter
  public void setApproverPermission(String approverPermission) {
    this.approverPermission = StoreChoice.blankToNull(approverPermission);
  }

  public String getProgressEvery() {
    return progressEvery;
  }

  /** How often a "still waiting" line is written to the build log (default 5m). */
  @DataBoundSetter
  public void setProgressEvery(String progressEvery) {
    this.progressEvery = StoreChoice.blankToNull(progressEvery);
  }

  public String getAllowedSigners() {
    return allowedSigners;
  }

  /**
   * An {@code allowed_signers} file on the controller (git's format): which keys may sign
   * decisions, for whom. Default: the global configuration's.
   */
  @DataBoundSetter
  public void setAllowedSigners(String allowedSigners) {
    this.allowedSigners = StoreChoice.blankToNull(allowedSigners);
  }

  @Override
  public StepExecution start(StepContext context) throws Exception {
    try {
      if (kind == null || name == null)
        throw DivisionException.invalid("kind and name are required");
      if (until == null && forCondition == null) {
        throw DivisionException.invalid("say what to wait for: until: or forCondition:");
      }
      WaitSpec.Builder b = WaitSpec.builder().key(new ResourceKey(kind, "", name));
      if (until != null) b.until(until);
      if (forCondition != null) b.waitFor(forCondition);
      if (failWhen != null) b.failWhen(failWhen);
      Duration limit = timeout == null ? null : Durations.parse(timeout);
      b.timeout(limit, StepRuntime.current().clock());
      Duration every =
          progressEvery == null ? DEFAULT_PROGRESS_EVERY : Durations.parse(progressEvery);
      // Parsed and validated here, before anything is waited for; the key's kind and namespace
      // are resolved against the store, and the allowed-signers file read, on the first pass (no
      // I/O on the pipeline thread).
      return new DivWaitExecution(
          context, b.build(), storeChoice(), logs, approverPermission, every, allowedSigners);
    } catch (DivisionException e) {
      throw DivisionStepException.of(FUNCTION, e);
    }
  }

  @Extension
  @Symbol(FUNCTION)
  public static final class DescriptorImpl extends StepDescriptor {
    @Override
    public String getFunctionName() {
      return FUNCTION;
    }

    @Override
    public String getDisplayName() {
      return "Wait for a Division resource condition or approval (holds no executor)";
    }

    @Override
    public Set<? extends Class<?>> getRequiredContext() {
      return Set.of(Run.class, TaskListener.class);
    }
  }
}
