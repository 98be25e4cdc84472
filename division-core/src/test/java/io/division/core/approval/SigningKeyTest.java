package io.division.core.approval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.division.core.DivisionException;
import io.division.core.approval.sshsig.AllowedSigners;
import io.division.core.approval.sshsig.SigningKey;
import io.division.core.approval.sshsig.SshSig;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A key generated for a long-lived signer (a Jenkins controller), checked with ssh-keygen. */
class SigningKeyTest {
  private static final String NS = DecisionPayload.SIGNATURE_NAMESPACE;

  @TempDir Path dir;

  @Test
  void aGeneratedKeyIsOwnerOnlyReadBySshKeygenAndReusedOnTheNextStart() throws Exception {
    Path file = dir.resolve("home/division/signing-key");
    SigningKey first = SigningKey.readOrCreate(file);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
        .isEqualTo("rwx------");
    try (var listing = Files.list(file.getParent())) {
      assertThat(listing).containsExactly(file); // no temporary file left behind
    }
    // ssh-keygen reads the private key file and derives the same public key from it.
    Run derived = run(null, "ssh-keygen", "-y", "-f", file.toString());
    assertThat(derived.code()).as(derived.out()).isZero();
    assertThat(derived.out().trim()).startsWith(first.publicKeyText());
    assertThat(first.publicKeyText()).startsWith("ssh-ed25519 ");

    SigningKey again = SigningKey.readOrCreate(file);
    assertThat(again.publicKey()).isEqualTo(first.publicKey());
  }

  @Test
  void startsRacingToCreateTheKeyAllEndWithTheSameOne() throws Exception {
    Path file = dir.resolve("race/signing-key");
    int n = 8;
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<String>> keys = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        Callable<String> create =
            () -> {
              go.await();
              return SigningKey.readOrCreate(file).publicKeyText();
            };
        keys.add(pool.submit(create));
      }
      go.countDown();
      List<String> seen = new ArrayList<>();
      for (Future<String> k : keys) seen.add(k.get(30, TimeUnit.SECONDS));
      assertThat(seen).containsOnly(SigningKey.read(file).publicKeyText());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aSignedDecisionVerifiesWithSshKeygenAndTheAllowedSignersLineItPrints() throws Exception {
    SigningKey key = SigningKey.readOrCreate(dir.resolve("k/signing-key"));
    DecisionPayload payload =
        new DecisionPayload(
            "default",
            "a1",
            "uid-1",
            3,
            "Approved",
            "alice",
            Instant.parse("2026-11-30T12:00:00Z"));
    Approvals.Signing.Presigned signed = Approvals.sign(key, payload);
    assertThat(signed.payload()).isEqualTo(payload);

    String line = key.allowedSignersLine("*", NS, "jenkins controller");
    Path allowed = Files.writeString(dir.resolve("allowed_signers"), line + "\n");
    Path msg = Files.write(dir.resolve("payload"), payload.bytes());
    Path sig = Files.writeString(dir.resolve("payload.sig"), signed.signature());
    Run verified =
        run(
            msg,
            "ssh-keygen",
            "-Y",
            "verify",
            "-f",
            allowed.toString(),
            "-I",
            "alice",
            "-n",
            NS,
            "-s",
            sig.toString());
    assertThat(verified.code()).as(verified.out()).isZero();

    SshSig.Parsed parsed = SshSig.parse(signed.signature());
    assertThat(SshSig.verify(parsed, NS, payload.bytes())).isTrue();
    assertThat(AllowedSigners.parse(line, "line").find("alice", NS, parsed.publicKey()))
        .isPresent();
  }

  @Test
  void anExistingFileThatIsNotAKeyIsAnErrorAndIsKept() throws Exception {
    Path file = Files.writeString(dir.resolve("signing-key"), "not a key\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    assertThatThrownBy(() -> SigningKey.readOrCreate(file))
        .isInstanceOf(DivisionException.class)
        .hasMessageContaining("not an OpenSSH private key");
    assertThat(Files.readString(file)).isEqualTo("not a key\n");
  }

  @Test
  void aKeptKeyThatOthersCanReadIsRefused() throws Exception {
    Path file = dir.resolve("loose/signing-key");
    String generated = SigningKey.readOrCreate(file).publicKeyText();
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    assertThatThrownBy(() -> SigningKey.readOrCreate(file))
        .isInstanceOf(DivisionException.class)
        .hasMessage(
            file
                + " can be read or written by others (mode rw-r--r--); chmod 600 it, or remove it to have a new key made");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    assertThat(SigningKey.readOrCreate(file).publicKeyText()).isEqualTo(generated);
  }

  private record Run(int code, String out) {}

  private static Run run(Path stdin, String... cmd) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    if (stdin != null) pb.redirectInput(stdin.toFile());
    Process p = pb.start();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    p.getInputStream().transferTo(out);
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("ssh-keygen did not finish: " + String.join(" ", cmd));
    }
    return new Run(p.exitValue(), out.toString(StandardCharsets.UTF_8));
  }
}
