package io.division.jenkins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.division.core.Division;
import io.division.core.DivisionException;
import io.division.core.approval.Approvals;
import io.division.core.approval.sshsig.SigningKey;
import io.division.core.config.DivConfig;
import io.division.core.manifest.ManifestReader;
import io.division.core.model.ResourceKey;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the build page's Approve and Reject buttons do once Jenkins has said who is asking. */
class ApprovalDecisionsTest {
  static final ResourceKey OPEN = new ResourceKey("Approval", "default", "open");
  static final ResourceKey LISTED = new ResourceKey("Approval", "default", "listed");

  @TempDir Path dir;
  Division division;
  SigningKey controllerKey;

  @BeforeEach
  void open() {
    controllerKey = ControllerKey.load(dir.resolve("controller"), null);
    division = Division.open(new DivConfig(null, "sqlite:" + dir.resolve("d.db"), List.of(), dir));
    division.apply(
        ManifestReader.read(
            "fixture",
            "kind: Approval\nmetadata:\n  name: open\n---\n"
                + "kind: Approval\nmetadata:\n  name: listed\nspec:\n  approvers: [bob, carol, \"group:release-managers\"]\n  required: 2\n"),
        "default");
  }

  @AfterEach
  void close() {
    division.close();
  }

  static ApprovalDecisions.Decider user(String id, boolean hasPermission) {
    return new ApprovalDecisions.Decider(id, Set.of(), hasPermission, "hudson.model.Item.Build");
  }

  @Test
  void aUserWithThePermissionApprovesAndIsRecordedAsDivApproveRecordsIt() {
    var d =
        ApprovalDecisions.decide(
            division.store(),
            OPEN,
            user("alice", true),
            true,
            " looks good ",
            controllerKey,
            Clock.systemUTC());
    assertThat(d.outcome()).isEqualTo(Approvals.Outcome.DECIDED);
    var stored = division.store().get(OPEN);
    assertThat(stored.statusText("phase")).isEqualTo("Approved");
    assertThat(stored.statusText("approvedBy")).isEqualTo("alice");
    assertThat(stored.statusText("approvedAt")).isNotNull();
    assertThat(stored.statusText("message")).isEqualTo("looks good");
    var decision = stored.status().get("decisions").get(0);
    assertThat(decision.get("by").asText()).isEqualTo("alice");
    assertThat(decision.get("identity").asText()).isEqualTo("jenkins");
    assertThat(decision.get("signature").asText()).startsWith("-----BEGIN SSH SIGNATURE-----");
  }

  @Test
  void withoutThePermissionOrSignedOutItIsForbiddenAndNothingIsWritten() {
    assertThatThrownBy(
            () ->
                ApprovalDecisions.decide(
                    division.store(),
                    OPEN,
                    user("mallory", false),
                    true,
                    null,
                    controllerKey,
                    Clock.systemUTC()))
        .isInstanceOf(DivisionException.class)
        .hasMessage(
            "mallory lacks the hudson.model.Item.Build permission needed to decide approval/open")
        .satisfies(
            e ->
                assertThat(((DivisionException) e).reason())
                    .isEqualTo(DivisionException.Reason.FORBIDDEN));
    assertThatThrownBy(
            () ->
                ApprovalDecisions.decide(
                    division.store(),
                    OPEN,
                    user(null, true),
                    true,
                    null,
                    controllerKey,
                    Clock.systemUTC()))
        .hasMessage("sign in to approve or reject approval/open");
    assertThat(division.store().get(OPEN).statusText("phase")).isNull();
  }

  @Test
  void listedApproversAloneDecideAListedApproval() {
    assertThatThrownBy(
            () ->
                ApprovalDecisions.decide(
                    division.store(),
                    LISTED,
                    user("alice", true),
                    true,
                    null,
                    controllerKey,
                    Clock.systemUTC()))
        .hasMessageContaining("alice is not an approver of approval/listed");
    // A listed approver decides without the job permission; a listed group admits its members.
    ApprovalDecisions.decide(
        division.store(),
        LISTED,
        new ApprovalDecisions.Decider("dave", Set.of("release-managers"), false, "x"),
        true,
        null,
        controllerKey,
        Clock.systemUTC());
    ApprovalDecisions.decide(
        division.store(),
        LISTED,
        user("carol", false),
        false,
        "not today",
        controllerKey,
        Clock.systemUTC());
    var stored = division.store().get(LISTED);
    assertThat(stored.statusText("phase")).isEqualTo("Rejected");
    assertThat(stored.statusText("rejectedBy")).isEqualTo("carol");
    assertThat(stored.status().get("decisions")).hasSize(2);
  }

  @Test
  void aDecisionIsFinal() {
    ApprovalDecisions.decide(
        division.store(), OPEN, user("alice", true), false, null, controllerKey, Clock.systemUTC());
    assertThatThrownBy(
            () ->
                ApprovalDecisions.decide(
                    division.store(),
                    OPEN,
                    user("bob", true),
                    true,
                    null,
                    controllerKey,
                    Clock.systemUTC()))
        .isInstanceOf(DivisionException.class)
        .hasMessageContaining("a decision is final");
  }
}
