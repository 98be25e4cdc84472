package io.division.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Approvals with a policy, through ./div in separate processes. */
class ApprovalProcessIT {
  @TempDir Path home;
  CliHarness div;

  @BeforeEach
  void setUp() {
    div = new CliHarness(home);
  }

  private static String approval(String name, String spec) {
    return "kind: Approval\nmetadata:\n  name: " + name + "\nspec:\n" + spec;
  }

  @Test
  void aTwoOfThreeApprovalCompletesOnlyAfterTwoDifferentListedPeopleApprove() throws Exception {
    Path file =
        div.write(
            "a.yaml",
            approval(
                "release-42",
                "  description: deploy shop v1.4 to prod\n  requester: ci\n"
                    + "  approvers: [alice, bob, carol]\n  required: 2\n  allowDeclaredIdentity: true\n"));
    assertThat(div.exec("apply", "-f", file.toString()).code()).isZero();

    CliHarness.Result first = div.exec("approve", "approval", "release-42", "--as", "alice");
    assertThat(first.out())
        .isEqualTo("approval/release-42 approved by alice (1/2 approved, Pending)\n");
    CliHarness.Result again = div.exec("approve", "approval", "release-42", "--as", "alice");
    assertThat(again.out()).startsWith("approval/release-42 already approved by alice");
    assertThat(phase("release-42")).isEqualTo("Pending");

    CliHarness.Result stranger = div.exec("approve", "approval", "release-42", "--as", "dave");
    assertThat(stranger.code()).isEqualTo(1);
    assertThat(stranger.err())
        .isEqualTo(
            "error: dave is not an approver of approval/release-42 (approvers: alice, bob, carol)\n");
    assertThat(div.exec("approvals").out()).contains("release-42").contains("1/2");

    assertThat(div.exec("approve", "approval", "release-42", "--as", "bob").out())
        .isEqualTo("approval/release-42 approved by bob\n");
    assertThat(phase("release-42")).isEqualTo("Approved");
    assertThat(
            div.exec(
                    "get",
                    "approval",
                    "release-42",
                    "-o",
                    "jsonpath={.status.approved} {.status.approvedBy}")
                .out())
        .isEqualTo("2/2 alice,bob");
    assertThat(div.exec("approvals").out()).doesNotContain("release-42");
  }

  @Test
  void aGovernedApprovalRecordsTheStoreIdentityAndRefusesADeclaredOne() throws Exception {
    String me = System.getProperty("user.name");
    div.exec(
        "apply",
        "-f",
        div.write("a.yaml", approval("a1", "  approvers: [" + me + "]\n")).toString());
    CliHarness.Result declared = div.exec("approve", "approval", "a1", "--as", me);
    assertThat(declared.code()).isEqualTo(1);
    assertThat(declared.err()).contains("does not accept a declared identity");
    assertThat(div.exec("approvals", "--mine").out()).contains("a1");

    assertThat(div.exec("approve", "approval", "a1").out())
        .isEqualTo("approval/a1 approved by " + me + "\n");
    assertThat(
            div.exec("get", "approval", "a1", "-o", "jsonpath={.status.decisions[0].identity}")
                .out())
        .isEqualTo("os");
  }

  @Test
  void aBadPolicyIsAOneLineErrorAndNothingIsWritten() throws Exception {
    CliHarness.Result tooMany =
        div.exec(
            "apply",
            "-f",
            div.write("b.yaml", approval("b1", "  approvers: [alice]\n  required: 2\n"))
                .toString());
    assertThat(tooMany.code()).isEqualTo(1);
    assertThat(tooMany.err())
        .contains("spec.required is 2 but spec.approvers lists only 1")
        .doesNotContain("\n ");
    CliHarness.Result unknown =
        div.exec(
            "apply",
            "-f",
            div.write("c.yaml", approval("b2", "  approverz: [alice]\n")).toString());
    assertThat(unknown.code()).isEqualTo(1);
    assertThat(unknown.err()).contains("spec.approverz is not a field of an Approval");
    assertThat(div.exec("get", "approvals", "-o", "name").out()).isEmpty();
  }

  @Test
  void anExpiredApprovalCannotBeApproved() throws Exception {
    div.exec(
        "apply",
        "-f",
        div.write(
                "e.yaml",
                approval("e1", "  approvers: ['*']\n  expiresAt: '2020-01-01T00:00:00Z'\n"))
            .toString());
    CliHarness.Result late = div.exec("approve", "approval", "e1");
    assertThat(late.code()).isEqualTo(1);
    assertThat(late.err())
        .isEqualTo("error: approval/e1 expired at 2020-01-01T00:00:00Z; ask for a new approval\n");
    assertThat(div.exec("get", "approval", "e1", "-o", "jsonpath={.status}").out()).isEmpty();
  }

  @Test
  void aChangedRequestIsANewRequest() throws Exception {
    Path file = div.write("a.yaml", approval("c1", "  approvers: ['*']\n  description: v1\n"));
    div.exec("apply", "-f", file.toString());
    div.exec("approve", "approval", "c1");
    assertThat(div.exec("approvals").out()).doesNotContain("c1");
    Files.writeString(
        file, approval("c1", "  approvers: ['*']\n  description: v2, with a database migration\n"));
    div.exec("apply", "-f", file.toString());
    assertThat(div.exec("approvals").out()).contains("c1").contains("0/1");
  }

  @Test
  void signedDecisionsBySshKeygenAndByDiv() throws Exception {
    Path key = home.resolve("id_ed25519");
    assertThat(sh("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString())).isZero();
    div.exec(
        "apply",
        "-f",
        div.write("s.yaml", approval("s1", "  approvers: ['*']\n  requireSignatures: true\n"))
            .toString());
    CliHarness.Result unsigned = div.exec("approve", "approval", "s1");
    assertThat(unsigned.code()).isEqualTo(1);
    assertThat(unsigned.err()).isEqualTo("error: approval/s1 requires signed decisions\n");

    // Signed elsewhere: print the payload, sign it with stock ssh-keygen, hand both back.
    Path payload = home.resolve("payload.txt");
    Files.writeString(payload, div.exec("approve", "approval", "s1", "--print-payload").out());
    assertThat(
            sh(
                "ssh-keygen",
                "-q",
                "-Y",
                "sign",
                "-f",
                key.toString(),
                "-n",
                "division-approval",
                payload.toString()))
        .isZero();
    CliHarness.Result signed =
        div.exec(
            "approve",
            "approval",
            "s1",
            "--payload",
            payload.toString(),
            "--signature",
            payload + ".sig");
    assertThat(signed.code()).as(signed.err()).isZero();
    assertThat(
            div.exec("get", "approval", "s1", "-o", "jsonpath={.status.decisions[0].signature}")
                .out())
        .startsWith("-----BEGIN SSH SIGNATURE-----");

    // Signed here, with the key file.
    div.exec(
        "apply",
        "-f",
        div.write("t.yaml", approval("s2", "  approvers: ['*']\n  requireSignatures: true\n"))
            .toString());
    CliHarness.Result byDiv = div.exec("approve", "approval", "s2", "--sign", key.toString());
    assertThat(byDiv.code()).as(byDiv.err()).isZero();
    assertThat(phase("s2")).isEqualTo("Approved");
  }

  @Test
  void aWaitEndsOnlyWhenTheSecondListedPersonApproves() throws Exception {
    div.exec(
        "apply",
        "-f",
        div.write(
                "w.yaml",
                approval(
                    "w1",
                    "  approvers: [alice, bob, carol]\n  required: 2\n  allowDeclaredIdentity: true\n"))
            .toString());
    Process waiter =
        div.process(
                java.util.List.of(
                    "wait", "approval", "w1", "status.phase = 'Approved'", "--timeout", "90s"))
            .redirectOutput(home.resolve("wait.out").toFile())
            .redirectError(home.resolve("wait.err").toFile())
            .start();
    try {
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(60))
          .until(
              () ->
                  Files.exists(home.resolve("wait.err"))
                      && Files.readString(home.resolve("wait.err")).contains("waiting for"));
      div.exec("approve", "approval", "w1", "--as", "alice");
      div.exec("approve", "approval", "w1", "--as", "alice");
      // One person twice is one approval: the waiter is still waiting.
      assertThat(waiter.waitFor(3, TimeUnit.SECONDS)).isFalse();
      div.exec("approve", "approval", "w1", "--as", "bob");
      assertThat(waiter.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(waiter.exitValue()).isZero();
      assertThat(Files.readString(home.resolve("wait.out"))).contains("approval/w1");
    } finally {
      waiter.destroyForcibly();
    }
  }

  @Test
  void aWaitThatRequiresSignaturesIgnoresAPatchedPhaseAndEndsOnASshKeygenSignature()
      throws Exception {
    Path key = home.resolve("id_ed25519");
    assertThat(sh("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString())).isZero();
    Path allowed = home.resolve("allowed_signers");
    Files.writeString(
        allowed, System.getProperty("user.name") + " " + Files.readString(Path.of(key + ".pub")));
    div.exec(
        "apply",
        "-f",
        div.write("s.yaml", approval("g1", "  approvers: ['*']\n  requireSignatures: true\n"))
            .toString());

    CliHarness.Result patched =
        div.exec(
            "patch",
            "approval",
            "g1",
            "--type",
            "merge",
            "-p",
            "{\"status\":{\"phase\":\"Approved\"}}");
    assertThat(patched.code()).as(patched.err()).isZero();
    CliHarness.Result forged =
        div.exec(
            "wait",
            "approval",
            "g1",
            "status.phase = 'Approved'",
            "--timeout",
            "2s",
            "--allowed-signers",
            allowed.toString());
    assertThat(forged.code()).isEqualTo(3);
    assertThat(forged.err()).contains("timed out");

    Path payload = home.resolve("payload.txt");
    Files.writeString(payload, div.exec("approve", "approval", "g1", "--print-payload").out());
    assertThat(
            sh(
                "ssh-keygen",
                "-q",
                "-Y",
                "sign",
                "-f",
                key.toString(),
                "-n",
                "division-approval",
                payload.toString()))
        .isZero();
    assertThat(
            div.exec(
                    "approve",
                    "approval",
                    "g1",
                    "--payload",
                    payload.toString(),
                    "--signature",
                    payload + ".sig")
                .code())
        .isZero();
    CliHarness.Result signed =
        div.exec(
            "wait",
            "approval",
            "g1",
            "status.phase = 'Approved'",
            "--timeout",
            "30s",
            "--allowed-signers",
            allowed.toString());
    assertThat(signed.code()).as(signed.err()).isZero();

    // The same decision, judged by a waiter whose list holds another key, does not count.
    Path other = home.resolve("id_other");
    assertThat(sh("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", other.toString())).isZero();
    Path otherList = home.resolve("other_signers");
    Files.writeString(
        otherList,
        System.getProperty("user.name") + " " + Files.readString(Path.of(other + ".pub")));
    CliHarness.Result untrusted =
        div.exec(
            "wait",
            "approval",
            "g1",
            "status.phase = 'Approved'",
            "--timeout",
            "2s",
            "--allowed-signers",
            otherList.toString());
    assertThat(untrusted.code()).isEqualTo(3);
    assertThat(untrusted.err()).contains("signed by a key").contains("does not allow");
  }

  @Test
  void aSpecChangeAfterAnApprovalPutsAWaitBackToPending() throws Exception {
    Path file = div.write("a.yaml", approval("p1", "  approvers: ['*']\n  description: v1\n"));
    div.exec("apply", "-f", file.toString());
    div.exec("approve", "approval", "p1");
    assertThat(
            div.exec("wait", "approval", "p1", "status.phase = 'Approved'", "--timeout", "20s")
                .code())
        .isZero();
    Files.writeString(file, approval("p1", "  approvers: ['*']\n  description: v2\n"));
    div.exec("apply", "-f", file.toString());
    CliHarness.Result stale =
        div.exec("wait", "approval", "p1", "status.phase = 'Approved'", "--timeout", "2s");
    assertThat(stale.code()).isEqualTo(3);
    assertThat(stale.err()).contains("made for generation 1 of the spec, which is now at 2");
  }

  private String phase(String name) throws Exception {
    return div.exec("get", "approval", name, "-o", "jsonpath={.status.phase}").out();
  }

  private int sh(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).directory(home.toFile()).redirectErrorStream(true).start();
    p.getOutputStream().close();
    p.getInputStream().readAllBytes();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", cmd) + " did not finish");
    }
    return p.exitValue();
  }
}
