package io.division.core.approval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.division.core.DivisionException;
import io.division.core.approval.sshsig.AllowedSigners;
import io.division.core.approval.sshsig.SshSig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** SSHSIG against the real ssh-keygen (Debian's openssh-client), in both directions. */
class SshSigInteropTest {
  private static final String NS = DecisionPayload.SIGNATURE_NAMESPACE;

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"ed25519", "rsa"})
  void aSignatureMadeHereVerifiesWithSshKeygen(String type) throws Exception {
    Path key = newKey(type);
    byte[] message =
        "division-approval v1\napproval: default/a1\n".getBytes(StandardCharsets.UTF_8);
    Path msg = Files.write(dir.resolve("msg"), message);
    Path sig = Files.writeString(dir.resolve("msg.sig"), SshSig.sign(key, NS, message));
    Path allowed = allowedSigners("alice", key);

    assertThat(
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
                sig.toString()))
        .isZero();
    // The same signature under another namespace or for another principal is refused by ssh-keygen
    // too.
    assertThat(
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
                "git",
                "-s",
                sig.toString()))
        .isNotZero();
    assertThat(
            run(
                msg,
                "ssh-keygen",
                "-Y",
                "verify",
                "-f",
                allowed.toString(),
                "-I",
                "mallory",
                "-n",
                NS,
                "-s",
                sig.toString()))
        .isNotZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"ed25519", "rsa"})
  void aSignatureMadeBySshKeygenVerifiesHere(String type) throws Exception {
    Path key = newKey(type);
    byte[] message =
        "division-approval v1\napproval: default/a2\n".getBytes(StandardCharsets.UTF_8);
    Path msg = Files.write(dir.resolve("m2"), message);
    assertThat(
            run(
                null,
                "ssh-keygen",
                "-q",
                "-Y",
                "sign",
                "-f",
                key.toString(),
                "-n",
                NS,
                msg.toString()))
        .isZero();
    SshSig.Parsed parsed = SshSig.parse(Files.readString(dir.resolve("m2.sig")));
    AllowedSigners signers = AllowedSigners.read(allowedSigners("alice", key));

    assertThat(SshSig.verify(parsed, NS, message)).isTrue();
    assertThat(signers.find("alice", NS, parsed.publicKey())).isPresent();
    assertThat(signers.find("bob", NS, parsed.publicKey())).isEmpty();
    byte[] tampered =
        "division-approval v1\napproval: default/a3\n".getBytes(StandardCharsets.UTF_8);
    assertThat(SshSig.verify(parsed, NS, tampered)).isFalse();
    assertThat(SshSig.verify(parsed, "other", message)).isFalse();
  }

  @org.junit.jupiter.api.Test
  void malformedKeysAndSignaturesAreOneLineErrors() throws Exception {
    Path notAKey = Files.writeString(dir.resolve("k"), "hello\n");
    assertThatThrownBy(() -> SshSig.sign(notAKey, NS, new byte[1]))
        .isInstanceOf(DivisionException.class)
        .hasMessageContaining("not an OpenSSH private key");
    assertThatThrownBy(
            () -> SshSig.parse("-----BEGIN SSH SIGNATURE-----\nAAAA\n-----END SSH SIGNATURE-----"))
        .isInstanceOf(DivisionException.class)
        .hasMessageContaining("malformed SSH signature");
    assertThatThrownBy(() -> AllowedSigners.parse("alice ssh-ed25519 !!!notbase64\n", "signers"))
        .isInstanceOf(DivisionException.class)
        .hasMessageContaining("signers line 1");
    Path encrypted = dir.resolve("enc");
    assertThat(
            run(
                null,
                "ssh-keygen",
                "-q",
                "-t",
                "ed25519",
                "-N",
                "secret",
                "-f",
                encrypted.toString()))
        .isZero();
    assertThatThrownBy(() -> SshSig.sign(encrypted, NS, new byte[1]))
        .hasMessageContaining("passphrase-protected");
  }

  private Path newKey(String type) throws Exception {
    Path key = dir.resolve("id_" + type);
    List<String> cmd =
        type.equals("rsa")
            ? List.of("ssh-keygen", "-q", "-t", "rsa", "-b", "2048", "-N", "", "-f", key.toString())
            : List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString());
    assertThat(run(null, cmd.toArray(String[]::new))).isZero();
    return key;
  }

  private Path allowedSigners(String principal, Path key) throws IOException {
    String pub = Files.readString(Path.of(key + ".pub")).trim();
    return Files.writeString(
        dir.resolve("allowed_signers"), principal + " namespaces=\"" + NS + "\" " + pub + "\n");
  }

  private static int run(Path stdin, String... cmd) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    if (stdin != null) pb.redirectInput(stdin.toFile());
    Process p = pb.start();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("ssh-keygen did not finish: " + String.join(" ", cmd));
    }
    return p.exitValue();
  }
}
