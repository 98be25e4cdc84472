package io.division.core.approval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.division.core.approval.sshsig.AllowedSigners;
import io.division.core.approval.sshsig.SshSig;
import io.division.core.model.Json;
import io.division.core.model.ObjectMeta;
import io.division.core.model.Resource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a waiter judges an approval: from its decisions and its own trust list, never from
 * status.phase.
 */
class ApprovalStateTest {
  static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
  @TempDir static Path dir;
  static Path aliceKey;
  static Path malloryKey;
  static AllowedSigners signers;

  @BeforeAll
  static void keys() throws Exception {
    aliceKey = key("alice");
    malloryKey = key("mallory");
    signers =
        AllowedSigners.parse(
            "alice " + Files.readString(Path.of(aliceKey + ".pub")).trim() + "\n",
            "allowed_signers");
  }

  private static Path key(String name) throws Exception {
    Path k = dir.resolve(name);
    Process p =
        new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", k.toString())
            .redirectErrorStream(true)
            .start();
    p.getInputStream().readAllBytes();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
    return k;
  }

  private static Resource approval(long generation, String spec, ObjectNode status) {
    ObjectMeta meta =
        ObjectMeta.named("a1", "default")
            .withSystemFields(
                "uid-1", "7", generation, "2026-11-30T11:00:00Z", "2026-11-30T11:00:00Z");
    return new Resource(null, "Approval", meta, Json.parse(spec), status);
  }

  private static ObjectNode decided(Resource a, String by, long generation, Path signWith) {
    ObjectNode status = Json.object();
    ObjectNode d =
        status
            .putArray("decisions")
            .addObject()
            .put("decision", "Approved")
            .put("by", by)
            .put("identity", "os")
            .put("at", NOW.minusSeconds(60).toString())
            .put("generation", generation);
    if (signWith != null) {
      Resource atGeneration = approval(generation, a.spec().toString(), null);
      d.put(
          "signature",
          SshSig.sign(
              signWith,
              DecisionPayload.SIGNATURE_NAMESPACE,
              DecisionPayload.of(atGeneration, "Approved", by, NOW.minusSeconds(60)).bytes()));
    }
    status.put("phase", "Approved");
    return status;
  }

  @Test
  void aForgedPhaseWithoutDecisionsIsPendingUnderAPolicy() {
    Resource a =
        approval(
            1, "{\"approvers\":[\"alice\"]}", (ObjectNode) Json.object().put("phase", "Approved"));
    assertThat(ApprovalState.evaluate(a, NOW, null).phase()).isEqualTo("Pending");
  }

  @Test
  void anApprovalWithoutPolicyKeepsItsWrittenPhase() {
    Resource a =
        approval(1, "{\"requester\":\"ci\"}", (ObjectNode) Json.object().put("phase", "Approved"));
    assertThat(ApprovalState.evaluate(a, NOW, null).phase()).isEqualTo("Approved");
  }

  @Test
  void aDecisionForAnOlderSpecDoesNotCount() {
    String spec = "{\"approvers\":[\"alice\"]}";
    Resource a = approval(2, spec, decided(approval(1, spec, null), "alice", 1, null));
    ApprovalState state = ApprovalState.evaluate(a, NOW, null);
    assertThat(state.phase()).isEqualTo("Pending");
    assertThat(state.notes())
        .singleElement()
        .asString()
        .contains("made for generation 1")
        .contains("now at 2");
  }

  @Test
  void aWaiterWithATrustListCountsOnlyDecisionsSignedByAnAllowedKeyForThatPerson() {
    String spec = "{\"approvers\":[\"alice\",\"mallory\"],\"requireSignatures\":true}";
    Resource base = approval(1, spec, null);
    assertThat(
            ApprovalState.evaluate(
                    approval(1, spec, decided(base, "alice", 1, aliceKey)), NOW, signers)
                .phase())
        .isEqualTo("Approved");
    ApprovalState unsigned =
        ApprovalState.evaluate(approval(1, spec, decided(base, "alice", 1, null)), NOW, signers);
    assertThat(unsigned.phase()).isEqualTo("Pending");
    assertThat(unsigned.notes()).singleElement().asString().endsWith("unsigned");
    // Mallory signs as herself, with a key the waiter's list does not hold.
    ApprovalState foreign =
        ApprovalState.evaluate(
            approval(1, spec, decided(base, "mallory", 1, malloryKey)), NOW, signers);
    assertThat(foreign.phase()).isEqualTo("Pending");
    assertThat(foreign.notes()).singleElement().asString().contains("does not allow for mallory");
    // Mallory signs claiming to be alice: the key does not match alice's entry.
    ApprovalState impostor =
        ApprovalState.evaluate(
            approval(1, spec, decided(base, "alice", 1, malloryKey)), NOW, signers);
    assertThat(impostor.phase()).isEqualTo("Pending");
  }

  @Test
  void aSignedDecisionGoesStaleWhenTheSpecChanges() {
    String spec = "{\"approvers\":[\"alice\"],\"requireSignatures\":true}";
    ObjectNode status = decided(approval(1, spec, null), "alice", 1, aliceKey);
    assertThat(ApprovalState.evaluate(approval(1, spec, status), NOW, signers).phase())
        .isEqualTo("Approved");
    assertThat(ApprovalState.evaluate(approval(2, spec, status), NOW, signers).phase())
        .isEqualTo("Pending");
  }

  @Test
  void aRequiredSignatureWithoutATrustListCountsNothing() {
    String spec = "{\"approvers\":[\"alice\"],\"requireSignatures\":true}";
    Resource a = approval(1, spec, decided(approval(1, spec, null), "alice", 1, aliceKey));
    ApprovalState state = ApprovalState.evaluate(a, NOW, null);
    assertThat(state.phase()).isEqualTo("Pending");
    assertThat(state.notes()).singleElement().asString().contains("no allowed-signers list");
  }
}
