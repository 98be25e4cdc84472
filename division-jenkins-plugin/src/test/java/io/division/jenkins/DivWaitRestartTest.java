package io.division.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;

import hudson.model.Result;
import io.division.core.Division;
import io.division.core.approval.Approvals;
import io.division.core.approval.Identity;
import io.division.core.config.DivConfig;
import io.division.core.model.ResourceKey;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.junit.jupiter.JenkinsSessionExtension;

/** A divWait across a controller restart, and an abort. Runs only with {@code -Pjenkins}. */
class DivWaitRestartTest {
  @RegisterExtension private final JenkinsSessionExtension sessions = new JenkinsSessionExtension();

  private static final String SCRIPT =
      """
      divApply resource: [kind: 'Approval', metadata: [name: 'restart-1']]
      def a = divWait kind: 'approval', name: 'restart-1', until: "status.phase = 'Approved'", timeout: '1h'
      echo "approved by ${a.status.approvedBy}"
      """;

  @Test
  void aWaitSurvivesARestartAndIsGrantedAfterIt() throws Throwable {
    sessions.then(
        j -> {
          WorkflowJob p = j.createProject(WorkflowJob.class, "p");
          p.setDefinition(new CpsFlowDefinition(SCRIPT, true));
          WorkflowRun b = p.scheduleBuild2(0).waitForStart();
          j.waitForMessage("divWait: waiting for approval/restart-1", b);
        });
    sessions.then(
        j -> {
          WorkflowRun b = j.jenkins.getItemByFullName("p", WorkflowJob.class).getBuildByNumber(1);
          j.waitForMessage("divWait: resumed waiting for approval/restart-1", b);
          // The default store lives under JENKINS_HOME/division; approve as `div approve` would.
          Path home = j.jenkins.getRootDir().toPath().resolve("division");
          try (Division d =
              Division.open(
                  new DivConfig(null, "sqlite:" + home.resolve("division.db"), List.of(), home))) {
            Approvals.approve(
                d.store(),
                new ResourceKey("Approval", "default", "restart-1"),
                Identity.declared("dave"),
                null,
                Approvals.Signing.NONE,
                Clock.systemUTC());
          }
          j.assertBuildStatusSuccess(j.waitForCompletion(b));
          j.assertLogContains("approved by dave", b);
        });
  }

  @Test
  void anAbortCancelsTheWait() throws Throwable {
    sessions.then(
        j -> {
          WorkflowJob p = j.createProject(WorkflowJob.class, "p");
          p.setDefinition(new CpsFlowDefinition(SCRIPT, true));
          WorkflowRun b = p.scheduleBuild2(0).waitForStart();
          j.waitForMessage("divWait: waiting for", b);
          b.doStop();
          j.assertBuildStatus(Result.ABORTED, j.waitForCompletion(b));
          DivisionApprovalAction page = DivisionApprovalAction.find(b, "restart-1");
          assertEquals(false, page.isWaiting(), "the build page no longer offers the buttons");
        });
  }
}
