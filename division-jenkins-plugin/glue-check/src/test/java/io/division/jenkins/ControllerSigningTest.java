package io.division.jenkins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.division.core.Division;
import io.division.core.approval.DecisionPayload;
import io.division.core.approval.sshsig.SigningKey;
import io.division.core.config.DivConfig;
import io.division.core.manifest.ManifestReader;
import io.division.core.model.Json;
import io.division.core.model.Resource;
import io.division.core.model.ResourceKey;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Decisions made on a build page are signed with the controller's own key, and a divWait on an
 * approval that requires signatures counts them only when its allowed-signers list holds that key
 * for the decider: an embedded store, the plugin's own key handling over core, the real ssh-keygen.
 */
class ControllerSigningTest {
  static final Duration LONG = Duration.ofSeconds(30);
  static final ResourceKey SIGNED = new ResourceKey("Approval", "default", "release-7");
  static final String NS = DecisionPayload.SIGNATURE_NAMESPACE;

  @TempDir Path dir;
  Division division;
  ScheduledThreadPoolExecutor timer;
  TestRuntime runtime;
  Path jenkinsDivision;

  @BeforeEach
  void open() {
    division = Division.open(new DivConfig(null, "sqlite:" + dir.resolve("d.db"), List.of(), dir));
    timer = TestSupport.timer();
    runtime = new TestRuntime(division, timer, Clock.systemUTC());
    jenkinsDivision = dir.resolve("jenkins-home/division");
    runtime.controllerHome = jenkinsDivision;
    division.apply(
        ManifestReader.read(
            "fixture",
            "kind: Approval\nmetadata:\n  name: release-7\n"
                + "spec:\n  approvers: [alice, bob]\n  requireSignatures: true\n"),
        "default");
  }

  @AfterEach
  void close() {
    runtime.closeWaits();
    runtime.close();
    timer.shutdownNow();
    division.close();
  }

  /** What the build page's Approve button does for a signed-in Jenkins user. */
  void approveOnTheBuildPage(String user) {
    ApprovalDecisions.decide(
        division.store(),
        SIGNED,
        new ApprovalDecisions.Decider(user, Set.of(), true, "hudson.model.Item.Build"),
        true,
        "checked",
        runtime.signingKey(),
        Clock.systemUTC());
  }

  /** The line the global configuration shows, as an admin pastes it into a file. */
  Path allowedSignersWith(String... lines) throws Exception {
    Path file = dir.resolve("allowed_signers-" + System.nanoTime());
    return Files.writeString(file, String.join("\n", lines) + "\n");
  }

  String controllerLine() {
    return ControllerKey.allowedSignersLine(runtime.signingKey());
  }

  static Map<String, Object> signedWait(String allowedSigners, String timeout) {
    Map<String, Object> args = new HashMap<>();
    args.put("kind", "approval");
    args.put("name", "release-7");
    args.put("until", "status.phase = 'Approved'");
    args.put("failWhen", "status.phase = 'Rejected'");
    args.put("timeout", timeout);
    if (allowedSigners != null) args.put("allowedSigners", allowedSigners);
    return args;
  }

  @Test
  void aBuildPageApprovalIsSignedVerifiedBySshKeygenAndEndsAWaitThatAllowsTheController()
      throws Exception {
    Path allowed = allowedSignersWith(controllerLine());
    var started = StepRunner.start(DivWaitStep.class, signedWait(allowed.toString(), "1h"));
    await().until(() -> started.context().log().contains("divWait: waiting for"));
    assertThat(started.context().log())
        .contains("decisions count only when signed by a key that " + allowed + " allows");

    approveOnTheBuildPage("alice");

    Map<?, ?> result = (Map<?, ?>) StepRunner.await(started.context(), LONG);
    Map<?, ?> status = (Map<?, ?>) result.get("status");
    assertThat(status.get("phase")).isEqualTo("Approved");
    assertThat(status.get("approved")).isEqualTo("1/1");

    // The stored decision names the Jenkins user and carries an SSHSIG that stock OpenSSH accepts
    // for that user over exactly the payload `div approve --sign` signs.
    Resource stored = division.store().get(SIGNED);
    JsonNode decision = stored.status().get("decisions").get(0);
    assertThat(decision.get("by").asText()).isEqualTo("alice");
    assertThat(decision.get("identity").asText()).isEqualTo("jenkins");
    DecisionPayload payload =
        DecisionPayload.of(stored, "Approved", "alice", Instant.parse(decision.get("at").asText()));
    Path msg = Files.write(dir.resolve("payload"), payload.bytes());
    Path sig = Files.writeString(dir.resolve("payload.sig"), decision.get("signature").asText());
    SshKeygen verify = sshKeygenVerify(allowed, "alice", msg, sig);
    assertThat(verify.code()).as(verify.out()).isZero();
    assertThat(verify.out()).contains("Good \"" + NS + "\" signature for alice");
  }

  @Test
  void withTheControllerKeyNotInTheListTheSameDecisionDoesNotEndTheWaitAndTheLogSaysWhy()
      throws Exception {
    Path other = dir.resolve("id_other");
    assertThat(sh("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", other.toString()).code())
        .isZero();
    Path allowed =
        allowedSignersWith("alice,bob " + Files.readString(Path.of(other + ".pub")).trim());
    // The list comes from the global configuration this time.
    runtime.allowedSignersFile = allowed.toString();
    approveOnTheBuildPage("alice");

    var started = StepRunner.start(DivWaitStep.class, signedWait(null, "2s"));
    await()
        .until(
            () ->
                started
                    .context()
                    .log()
                    .contains(
                        "divWait: approval/release-7: Approved by alice not counted:"
                            + " signed by a key that the waiter's allowed-signers list does not"
                            + " allow for alice"));
    assertThatThrownBy(() -> StepRunner.await(started.context(), LONG))
        .isInstanceOf(DivisionStepException.class)
        .hasMessageContaining("timed out after 2s waiting for approval/release-7")
        .hasMessageContaining("does not allow for alice")
        .satisfies(e -> assertThat(((DivisionStepException) e).getReason()).isEqualTo("TIMEOUT"));
    // The note is written once, not on every look.
    assertThat(started.context().log().split("Approved by alice not counted", -1)).hasSize(2);

    // ssh-keygen agrees: that list does not vouch for the controller's signature.
    Resource stored = division.store().get(SIGNED);
    JsonNode decision = stored.status().get("decisions").get(0);
    Path msg =
        Files.write(
            dir.resolve("p2"),
            DecisionPayload.of(
                    stored, "Approved", "alice", Instant.parse(decision.get("at").asText()))
                .bytes());
    Path sig = Files.writeString(dir.resolve("p2.sig"), decision.get("signature").asText());
    assertThat(sshKeygenVerify(allowed, "alice", msg, sig).code()).isNotZero();
  }

  @Test
  void aWaitWithoutAnyListCountsNoDecisionOfAnApprovalThatRequiresSignatures() throws Exception {
    approveOnTheBuildPage("bob");
    var started = StepRunner.start(DivWaitStep.class, signedWait(null, "1s"));
    assertThatThrownBy(() -> StepRunner.await(started.context(), LONG))
        .isInstanceOf(DivisionStepException.class)
        .hasMessageContaining("no allowed-signers list is configured");
    assertThat(started.context().log())
        .contains("Approved by bob not counted: signatures are required");
  }

  @Test
  void theKeyIsGeneratedOwnerOnlyOnFirstUseAndTheNextControllerStartReusesIt() throws Exception {
    assertThat(jenkinsDivision.resolve(ControllerKey.DEFAULT_FILE)).doesNotExist();
    String line = controllerLine();
    Path key = jenkinsDivision.resolve(ControllerKey.DEFAULT_FILE);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(jenkinsDivision)))
        .isEqualTo("rwx------");
    assertThat(line)
        .startsWith("* namespaces=\"division-approval\" ssh-ed25519 ")
        .endsWith(" jenkins-controller");
    // ssh-keygen reads the generated key and derives the public key the line shows.
    SshKeygen derived = sh("ssh-keygen", "-y", "-f", key.toString());
    assertThat(derived.code()).as(derived.out()).isZero();
    assertThat(line).contains(derived.out().trim().split(" ")[1]);

    // The controller restarts: a new runtime (and plugin instance) finds the same key.
    runtime.close();
    runtime = new TestRuntime(division, timer, Clock.systemUTC());
    runtime.controllerHome = jenkinsDivision;
    assertThat(controllerLine()).isEqualTo(line);
    byte[] before = Files.readAllBytes(key);
    approveOnTheBuildPage("alice");
    assertThat(Files.readAllBytes(key)).isEqualTo(before);
  }

  @Test
  void aConfiguredKeyFileSignsInsteadAndAMissingOneRefusesTheDecisionWritingNothing()
      throws Exception {
    Path rsa = dir.resolve("id_rsa");
    assertThat(
            sh("ssh-keygen", "-q", "-t", "rsa", "-b", "2048", "-N", "", "-f", rsa.toString())
                .code())
        .isZero();
    runtime.signingKeyFile = rsa.toString();
    assertThat(controllerLine())
        .contains(Files.readString(Path.of(rsa + ".pub")).trim().split(" ")[1]);
    assertThat(jenkinsDivision).doesNotExist(); // no key generated while one is configured

    runtime.signingKeyFile = dir.resolve("missing").toString();
    assertThatThrownBy(() -> approveOnTheBuildPage("alice"))
        .hasMessageContaining("cannot read key " + dir.resolve("missing"));
    assertThat(division.store().get(SIGNED).status()).isNull();

    runtime.signingKeyFile = rsa.toString();
    Path allowed = allowedSignersWith(ControllerKey.allowedSignersLine(SigningKey.read(rsa)));
    approveOnTheBuildPage("bob");
    Map<?, ?> result =
        (Map<?, ?>)
            StepRunner.await(
                StepRunner.start(DivWaitStep.class, signedWait(allowed.toString(), "1h")).context(),
                LONG);
    assertThat(((Map<?, ?>) result.get("status")).get("approvedBy")).isEqualTo("bob");
  }

  @Test
  void aForgedPhaseDoesNotEndASignedWait() throws Exception {
    Path allowed = allowedSignersWith(controllerLine());
    division
        .store()
        .mergePatch(
            SIGNED,
            Json.object()
                .set("status", Json.object().put("phase", "Approved").put("approvedBy", "alice")));
    var started = StepRunner.start(DivWaitStep.class, signedWait(allowed.toString(), "1s"));
    assertThatThrownBy(() -> StepRunner.await(started.context(), LONG))
        .isInstanceOf(DivisionStepException.class)
        .satisfies(e -> assertThat(((DivisionStepException) e).getReason()).isEqualTo("TIMEOUT"));
  }

  @Test
  void theBuildPageJudgesTheApprovalAsTheWaitingStepDoes() throws Exception {
    Path trusting = allowedSignersWith(controllerLine());
    Path other = dir.resolve("id_page");
    assertThat(sh("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", other.toString()).code())
        .isZero();
    Path distrusting = allowedSignersWith("* " + Files.readString(Path.of(other + ".pub")).trim());
    var trustingPage = page(trusting);
    var distrustingPage = page(distrusting);

    // A phase written straight into the store neither shows nor hides the buttons.
    division
        .store()
        .mergePatch(
            SIGNED,
            Json.object()
                .set("status", Json.object().put("phase", "Approved").put("approvedBy", "eve")));
    assertThat(trustingPage.getSummary()).containsEntry("phase", "Pending");
    assertThat(trustingPage.getSummary().get("decidedBy")).isNull();

    approveOnTheBuildPage("alice");
    assertThat(trustingPage.getSummary())
        .containsEntry("phase", "Approved")
        .containsEntry("approved", "1/1")
        .containsEntry("decidedBy", "alice")
        .containsEntry("notCounted", "");
    assertThat(distrustingPage.getSummary()).containsEntry("phase", "Pending");
    assertThat(distrustingPage.getSummary().get("notCounted"))
        .contains("Approved by alice not counted")
        .contains("does not allow for alice");
  }

  /** The build page of a divWait that judges with {@code allowedSigners}. */
  DivisionApprovalAction page(Path allowedSigners) throws Exception {
    return new DivisionApprovalAction(
        new ApprovalRequest(
            new StoreChoice(null, null, "default"),
            "default",
            SIGNED.name(),
            null,
            Files.readString(allowedSigners)));
  }

  @Test
  void anUnreadableOrMalformedListFailsTheStepInOneLineWithoutEchoingTheFile() throws Exception {
    Path secret = Files.writeString(dir.resolve("secret.xml"), "<password> hunter2 hunter3\n");
    var started = StepRunner.start(DivWaitStep.class, signedWait(secret.toString(), "1h"));
    assertThatThrownBy(() -> StepRunner.await(started.context(), LONG))
        .isInstanceOf(DivisionStepException.class)
        .hasMessage(
            "divWait: "
                + secret
                + " line 1 is not an allowed_signers line (principals [namespaces=\"...\"] keytype"
                + " key)")
        .satisfies(e -> assertThat(((DivisionStepException) e).getReason()).isEqualTo("INVALID"));
    assertThat(started.context().log()).doesNotContain("hunter2");

    var missing =
        StepRunner.start(DivWaitStep.class, signedWait(dir.resolve("nope").toString(), "1h"));
    assertThatThrownBy(() -> StepRunner.await(missing.context(), LONG))
        .hasMessage(
            "divWait: cannot read allowed signers "
                + dir.resolve("nope")
                + " (NoSuchFileException)");
  }

  private record SshKeygen(int code, String out) {}

  private static SshKeygen sshKeygenVerify(Path allowed, String who, Path msg, Path sig)
      throws Exception {
    return run(
        msg,
        "ssh-keygen",
        "-Y",
        "verify",
        "-f",
        allowed.toString(),
        "-I",
        who,
        "-n",
        NS,
        "-s",
        sig.toString());
  }

  private static SshKeygen sh(String... cmd) throws Exception {
    return run(null, cmd);
  }

  private static SshKeygen run(Path stdin, String... cmd) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    if (stdin != null) pb.redirectInput(stdin.toFile());
    Process p = pb.start();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    p.getInputStream().transferTo(out);
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("did not finish: " + String.join(" ", cmd));
    }
    return new SshKeygen(p.exitValue(), out.toString(StandardCharsets.UTF_8));
  }
}
