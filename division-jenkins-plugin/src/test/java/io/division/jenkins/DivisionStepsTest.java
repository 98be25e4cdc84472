package io.division.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.model.Item;
import hudson.model.Result;
import io.division.core.Division;
import io.division.core.approval.Approvals;
import io.division.core.approval.Identity;
import io.division.core.config.DivConfig;
import io.division.core.deploy.GatewayOptions;
import io.division.core.manifest.ManifestReader;
import io.division.core.model.ResourceKey;
import io.division.gateway.GatewayDaemon;
import io.division.gateway.ProcessExecutor;
import java.net.URL;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import jenkins.model.Jenkins;
import org.htmlunit.HttpMethod;
import org.htmlunit.Page;
import org.htmlunit.WebRequest;
import org.htmlunit.html.HtmlPage;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * The steps in real pipelines on a real Jenkins (jenkins-test-harness), against an embedded store.
 * Runs only with {@code -Pjenkins} where https://repo.jenkins-ci.org is reachable.
 */
@WithJenkins
class DivisionStepsTest {
  @TempDir Path dir;

  private String store() {
    return "sqlite:" + dir.resolve("division.db");
  }

  private Division open() {
    return Division.open(new DivConfig(null, store(), List.of(), dir));
  }

  private WorkflowJob job(JenkinsRule j, String script) throws Exception {
    DivisionConfiguration.get().setStoreUrl(store());
    WorkflowJob p = j.createProject(WorkflowJob.class, "p");
    p.setDefinition(new CpsFlowDefinition(script, true));
    return p;
  }

  @Test
  void applyAndGetReturnMaps(JenkinsRule j) throws Exception {
    WorkflowJob p =
        job(
            j,
            """
            def applied = divApply resource: [kind: 'Approval', metadata: [name: "a-${env.BUILD_NUMBER}"], spec: [requester: 'ci']]
            echo "applied ${applied[0].metadata.name}"
            def got = divGet kind: 'approval', name: 'a-1'
            echo "requester ${got.spec.requester}"
            echo "count ${divGet(kind: 'approval').size()}"
            """);
    WorkflowRun b = j.buildAndAssertSuccess(p);
    j.assertLogContains("approval/a-1 created", b);
    j.assertLogContains("applied a-1", b);
    j.assertLogContains("requester ci", b);
    j.assertLogContains("count 1", b);
  }

  @Test
  void waitOutsideNodeIsGrantedFromTheBuildPage(JenkinsRule j) throws Exception {
    j.jenkins.setSecurityRealm(j.createDummySecurityRealm());
    j.jenkins.setAuthorizationStrategy(
        new MockAuthorizationStrategy()
            .grant(Jenkins.READ, Item.READ, Item.BUILD)
            .everywhere()
            .to("alice")
            .grant(Jenkins.READ, Item.READ)
            .everywhere()
            .to("mallory"));
    WorkflowJob p =
        job(
            j,
            """
            divApply resource: [kind: 'Approval', metadata: [name: 'r1'], spec: [requester: 'ci', reason: 'ship']]
            def a = divWait kind: 'approval', name: 'r1', until: "status.phase = 'Approved'", timeout: '10m'
            echo "approved by ${a.status.approvedBy}"
            """);
    WorkflowRun b = p.scheduleBuild2(0).waitForStart();
    j.waitForMessage("divWait: waiting for approval/r1", b);
    assertEquals(0, j.jenkins.getComputers()[0].countBusy(), "no executor is held");

    JenkinsRule.WebClient mallory = j.createWebClient().login("mallory");
    mallory.setThrowExceptionOnFailingStatusCode(false);
    HtmlPage denied = mallory.getPage(b, "division-approval-r1");
    Page refused = j.submit(denied.getFormByName("approve"));
    assertEquals(403, refused.getWebResponse().getStatusCode());

    JenkinsRule.WebClient alice = j.createWebClient().login("alice");
    alice.setThrowExceptionOnFailingStatusCode(false);
    Page get = alice.goTo(b.getUrl() + "division-approval-r1/approve", null);
    assertEquals(405, get.getWebResponse().getStatusCode(), "GET does not decide");
    Page noCrumb =
        alice.getPage(
            new WebRequest(
                new URL(j.getURL(), b.getUrl() + "division-approval-r1/approve"), HttpMethod.POST));
    assertEquals(403, noCrumb.getWebResponse().getStatusCode(), "a POST without the crumb");

    HtmlPage page = alice.getPage(b, "division-approval-r1");
    assertTrue(page.asNormalizedText().contains("ship"));
    j.submit(page.getFormByName("approve"));
    j.assertBuildStatusSuccess(j.waitForCompletion(b));
    j.assertLogContains("approved by alice", b);
    try (Division d = open()) {
      assertEquals(
          "alice",
          d.store().get(new ResourceKey("Approval", "default", "r1")).statusText("approvedBy"));
    }
  }

  @Test
  void approversListedInTheApprovalDecide(JenkinsRule j) throws Exception {
    j.jenkins.setSecurityRealm(j.createDummySecurityRealm());
    j.jenkins.setAuthorizationStrategy(
        new MockAuthorizationStrategy()
            .grant(Jenkins.READ, Item.READ)
            .everywhere()
            .to("bob", "alice")
            .grant(Item.BUILD)
            .everywhere()
            .to("alice"));
    WorkflowJob p =
        job(
            j,
            """
            divApply resource: [kind: 'Approval', metadata: [name: 'r2'], spec: [approvers: ['bob']]]
            divWait kind: 'approval', name: 'r2', until: "status.phase = 'Approved'"
            """);
    WorkflowRun b = p.scheduleBuild2(0).waitForStart();
    j.waitForMessage("divWait: waiting for", b);
    JenkinsRule.WebClient alice = j.createWebClient().login("alice");
    alice.setThrowExceptionOnFailingStatusCode(false);
    Page refused = j.submit(alice.getPage(b, "division-approval-r2").getFormByName("approve"));
    assertEquals(403, refused.getWebResponse().getStatusCode(), "Job/Build is not enough");
    JenkinsRule.WebClient bob = j.createWebClient().login("bob");
    j.submit(bob.getPage(b, "division-approval-r2").getFormByName("approve"));
    j.assertBuildStatusSuccess(j.waitForCompletion(b));
  }

  @Test
  void aSignedApprovalCountsOnlyWhenTheControllerKeyIsAllowed(JenkinsRule j) throws Exception {
    j.jenkins.setSecurityRealm(j.createDummySecurityRealm());
    j.jenkins.setAuthorizationStrategy(
        new MockAuthorizationStrategy().grant(Jenkins.READ, Item.READ).everywhere().to("bob"));
    // The line the configuration page shows, pasted into the default allowed-signers file.
    Path allowed =
        java.nio.file.Files.writeString(
            dir.resolve("allowed_signers"),
            DivisionConfiguration.get().getControllerAllowedSignersLine() + "\n");
    DivisionConfiguration.get().setAllowedSignersFile(allowed.toString());
    WorkflowJob p =
        job(
            j,
            """
            divApply resource: [kind: 'Approval', metadata: [name: 'r5'],
                                spec: [approvers: ['bob'], requireSignatures: true]]
            def a = divWait kind: 'approval', name: 'r5', until: "status.phase = 'Approved'"
            echo "approved by ${a.status.approvedBy}"
            """);
    WorkflowRun b = p.scheduleBuild2(0).waitForStart();
    j.waitForMessage("decisions count only when signed by a key that " + allowed, b);
    JenkinsRule.WebClient bob = j.createWebClient().login("bob");
    j.submit(bob.getPage(b, "division-approval-r5").getFormByName("approve"));
    j.assertLogContains("approved by bob", j.assertBuildStatusSuccess(j.waitForCompletion(b)));
    assertTrue(
        java.nio.file.Files.exists(
            j.jenkins.getRootDir().toPath().resolve("division/" + ControllerKey.DEFAULT_FILE)));
  }

  @Test
  void aRejectionFromTheCliFailsTheBuildWithTheReason(JenkinsRule j) throws Exception {
    WorkflowJob p =
        job(
            j,
            """
            divApply resource: [kind: 'Approval', metadata: [name: 'r3']]
            divWait kind: 'approval', name: 'r3', until: "status.phase = 'Approved'", failWhen: "status.phase = 'Rejected'"
            """);
    WorkflowRun b = p.scheduleBuild2(0).waitForStart();
    j.waitForMessage("divWait: waiting for", b);
    try (Division d = open()) {
      Approvals.reject(
          d.store(),
          new ResourceKey("Approval", "default", "r3"),
          Identity.declared("carol"),
          "no",
          Approvals.Signing.NONE,
          Clock.systemUTC());
    }
    j.assertBuildStatus(Result.FAILURE, j.waitForCompletion(b));
    j.assertLogContains("met the failure condition", b);
  }

  @Test
  void aTimeoutFailsTheBuildAsATimeout(JenkinsRule j) throws Exception {
    WorkflowJob p =
        job(
            j,
            """
            divApply resource: [kind: 'Approval', metadata: [name: 'r4']]
            try {
              divWait kind: 'approval', name: 'r4', until: "status.phase = 'Approved'", timeout: '2s'
            } catch (e) {
              echo "reason ${e.reason}"
              throw e
            }
            """);
    WorkflowRun b = p.scheduleBuild2(0).get();
    j.assertBuildStatus(Result.FAILURE, b);
    j.assertLogContains("timed out after 2s", b);
  }

  @Test
  void deployOutsideNodeStreamsTheGatewaysLogsAndFailsNamingTheInstall(JenkinsRule j)
      throws Exception {
    Path repo = Path.of(System.getProperty("user.dir")).resolve("..").normalize();
    AtomicBoolean stop = new AtomicBoolean();
    try (Division d = open()) {
      d.apply(ManifestReader.readPath(repo.resolve("examples/project.yaml")), "default");
      Thread gateway =
          new Thread(
              () -> {
                try {
                  GatewayDaemon.builder()
                      .store(d.store())
                      .options(GatewayOptions.of("prod-eu"))
                      .executor(
                          ProcessExecutor.builder()
                              .command(
                                  List.of("/bin/sh", repo.resolve("examples/deploy.sh").toString()))
                              .workingDir(dir)
                              .stateDir(dir.resolve("gateway-state"))
                              .build())
                      .clock(Clock.systemUTC())
                      .build()
                      .run(stop::get);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      gateway.start();
      try {
        WorkflowJob p =
            job(
                j,
                """
                def d = divDeploy project: 'mumoshu-microservices', app: 'mumoshu-microservices-myapp1',
                    ref: 'v1', clusters: ['prod-eu'], timeout: '2m'
                echo "state ${d.state}"
                divDeploy project: 'mumoshu-microservices', app: 'mumoshu-microservices-myapp1',
                    ref: 'broken-2', clusters: ['prod-eu'], timeout: '2m'
                """);
        WorkflowRun b = j.assertBuildStatus(Result.FAILURE, p.scheduleBuild2(0));
        j.assertLogContains("[prod-eu mumoshu-microservices-myapp1] deployed", b);
        j.assertLogContains("state SUCCEEDED", b);
        j.assertLogContains("error: ref broken-2 does not build", b);
        j.assertLogContains("deploy of broken-2 failed on", b);
      } finally {
        stop.set(true);
        gateway.join(20_000);
      }
    }
  }
}
