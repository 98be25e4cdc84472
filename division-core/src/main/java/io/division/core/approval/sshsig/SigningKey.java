package io.division.core.approval.sshsig;

import io.division.core.DivisionException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import org.bouncycastle.crypto.CryptoException;
import org.bouncycastle.crypto.Signer;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.params.RSAPrivateCrtKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.signers.RSADigestSigner;
import org.bouncycastle.crypto.util.OpenSSHPrivateKeyUtil;
import org.bouncycastle.crypto.util.OpenSSHPublicKeyUtil;

/**
 * A private SSH key read into memory, that signs in the SSHSIG format ({@link SshSig}): an
 * unencrypted OpenSSH key file (Ed25519 or RSA), or one {@link #readOrCreate} generated for a
 * long-lived process such as a Jenkins controller that signs on behalf of its users.
 */
public final class SigningKey {
  private static final String BEGIN = "-----BEGIN OPENSSH PRIVATE KEY-----";
  private static final String END = "-----END OPENSSH PRIVATE KEY-----";
  private static final Set<PosixFilePermission> OWNER_FILE =
      PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> OWNER_DIR =
      PosixFilePermissions.fromString("rwx------");

  /** Generation in one process is serialized; across processes the hard link decides. */
  private static final Object CREATING = new Object();

  private final AsymmetricKeyParameter key;
  private final byte[] publicKey;
  private final Path file;

  private SigningKey(AsymmetricKeyParameter key, Path file) {
    this.file = file;
    this.key = key;
    if (key instanceof Ed25519PrivateKeyParameters ed) {
      this.publicKey = encodePublic(ed.generatePublicKey());
    } else if (key instanceof RSAPrivateCrtKeyParameters rsa) {
      this.publicKey =
          encodePublic(new RSAKeyParameters(false, rsa.getModulus(), rsa.getPublicExponent()));
    } else {
      throw DivisionException.invalid(
          file
              + ": only Ed25519 and RSA keys can sign (found "
              + key.getClass().getSimpleName().replace("PrivateKeyParameters", "")
              + ")");
    }
  }

  /** Reads an unencrypted OpenSSH private key file; anything else is a one-line INVALID error. */
  public static SigningKey read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw DivisionException.invalid("cannot read key " + file + ": " + e.getMessage());
    }
    int b = text.indexOf(BEGIN);
    int e = text.indexOf(END);
    if (b < 0 || e < b) {
      throw DivisionException.invalid(
          file + ": not an OpenSSH private key (ssh-keygen -t ed25519 writes one)");
    }
    byte[] blob;
    try {
      blob = Base64.getMimeDecoder().decode(text.substring(b + BEGIN.length(), e).trim());
    } catch (IllegalArgumentException ex) {
      throw DivisionException.invalid(file + ": malformed OpenSSH private key");
    }
    // openssh-key-v1: magic, then cipher name; only "none" can be read without a passphrase.
    SshSig.SshWire.Reader r = SshSig.SshWire.reader(blob);
    try {
      r.raw("openssh-key-v1\0".length());
      String cipher = r.string();
      if (!cipher.equals("none")) {
        throw DivisionException.invalid(
            file + ": the key is passphrase-protected (" + cipher + "); use an unencrypted key");
      }
    } catch (IndexOutOfBoundsException ex) {
      throw DivisionException.invalid(file + ": malformed OpenSSH private key");
    }
    AsymmetricKeyParameter key;
    try {
      key = OpenSSHPrivateKeyUtil.parsePrivateKeyBlob(blob);
    } catch (RuntimeException ex) {
      throw DivisionException.invalid(file + ": malformed OpenSSH private key");
    }
    return new SigningKey(key, file);
  }

  /**
   * The key in {@code file}, generated there (Ed25519) if there is none yet. A generated key is
   * written whole to a temporary file (mode 0600 from its creation) and then linked to {@code file}
   * in one step that fails if {@code file} exists, so neither a crash nor two processes or threads
   * starting at once can leave half a key or two different keys: the loser reads the winner's. The
   * directory is created, or narrowed, to 0700 (one owned by another user is refused). An existing
   * file that cannot be read as a key, or that others may read, is an error, never overwritten.
   */
  public static SigningKey readOrCreate(Path file) {
    if (Files.exists(file)) return readOwnerOnly(file);
    Path dir = file.toAbsolutePath().getParent();
    synchronized (CREATING) {
      if (Files.exists(file)) return readOwnerOnly(file);
      try {
        ownerOnlyDirectory(dir);
        Path temp = createOwnerOnly(dir, "." + file.getFileName() + ".");
        try {
          writeFully(temp, armor(generateEd25519()));
          publish(temp, file);
        } finally {
          Files.deleteIfExists(temp);
        }
      } catch (IOException e) {
        throw new DivisionException(
            DivisionException.Reason.FAILED,
            "cannot create a signing key at " + file + ": " + e.getMessage(),
            file.toString(),
            e);
      }
    }
    return readOwnerOnly(file);
  }

  /**
   * A key this class keeps: as ssh refuses a private key others can read, so does this, rather than
   * sign with a key that may have been copied.
   */
  private static SigningKey readOwnerOnly(Path file) {
    if (posix(file.toAbsolutePath().getParent())) {
      Set<PosixFilePermission> mode;
      try {
        mode = Files.getPosixFilePermissions(file);
      } catch (IOException e) {
        throw DivisionException.invalid("cannot read key " + file + ": " + e.getMessage());
      }
      if (!OWNER_FILE.containsAll(mode)) {
        throw DivisionException.invalid(
            file
                + " can be read or written by others (mode "
                + PosixFilePermissions.toString(mode)
                + "); chmod 600 it, or remove it to have a new key made");
      }
    }
    return read(file);
  }

  /** Where the key was read from. */
  public Path file() {
    return file;
  }

  /** The public key as SSH wire bytes (what an SSHSIG names and an allowed-signers line holds). */
  public byte[] publicKey() {
    return publicKey.clone();
  }

  /**
   * The public key as a {@code .pub} file or allowed-signers line writes it: {@code TYPE BASE64}.
   */
  public String publicKeyText() {
    return SshSig.SshWire.reader(publicKey).string()
        + " "
        + Base64.getEncoder().encodeToString(publicKey);
  }

  /**
   * An {@code allowed_signers} line letting {@code principals} (comma-separated, {@code *}
   * wildcards) sign with this key in {@code namespace}; {@code comment} may be null.
   */
  public String allowedSignersLine(String principals, String namespace, String comment) {
    return principals
        + " namespaces=\""
        + namespace
        + "\" "
        + publicKeyText()
        + (comment == null || comment.isBlank() ? "" : " " + comment.strip());
  }

  /** Signs {@code message} in {@code namespace}; returns the armored SSHSIG text. */
  public String sign(String namespace, byte[] message) {
    String algorithm;
    Signer signer;
    if (key instanceof Ed25519PrivateKeyParameters) {
      algorithm = "ssh-ed25519";
      signer = new Ed25519Signer();
    } else {
      algorithm = "rsa-sha2-512";
      signer = new RSADigestSigner(new SHA512Digest());
    }
    signer.init(true, key);
    byte[] toSign = SshSig.signedData(namespace, message);
    signer.update(toSign, 0, toSign.length);
    byte[] raw;
    try {
      raw = signer.generateSignature();
    } catch (CryptoException e) {
      throw DivisionException.invalid(file + ": cannot sign: " + e.getMessage(), e);
    }
    return SshSig.envelope(publicKey, namespace, algorithm, raw);
  }

  private static Ed25519PrivateKeyParameters generateEd25519() {
    return new Ed25519PrivateKeyParameters(new SecureRandom());
  }

  private static String armor(AsymmetricKeyParameter key) throws IOException {
    String b64 = Base64.getEncoder().encodeToString(OpenSSHPrivateKeyUtil.encodePrivateKey(key));
    StringBuilder sb = new StringBuilder(BEGIN).append('\n');
    for (int i = 0; i < b64.length(); i += 70) {
      sb.append(b64, i, Math.min(b64.length(), i + 70)).append('\n');
    }
    return sb.append(END).append('\n').toString();
  }

  private static boolean posix(Path dir) {
    return dir.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  private static void ownerOnlyDirectory(Path dir) throws IOException {
    if (!posix(dir)) {
      Files.createDirectories(dir);
      return;
    }
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_DIR));
    } else if (!Files.getOwner(dir).getName().equals(System.getProperty("user.name"))) {
      // Whoever owns the directory could swap the key: it is not made there.
      throw DivisionException.invalid(
          dir + " belongs to " + Files.getOwner(dir).getName() + "; no signing key is made there");
    }
    // createDirectories' mode is masked by the umask, and an existing directory keeps its own.
    Files.setPosixFilePermissions(dir, OWNER_DIR);
  }

  private static Path createOwnerOnly(Path dir, String prefix) throws IOException {
    return posix(dir)
        ? Files.createTempFile(
            dir, prefix, ".tmp", PosixFilePermissions.asFileAttribute(OWNER_FILE))
        : Files.createTempFile(dir, prefix, ".tmp");
  }

  private static void writeFully(Path file, String text) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ByteBuffer buf = ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
      while (buf.hasRemaining()) ch.write(buf);
      ch.force(true);
    }
  }

  /** Makes {@code temp}'s content appear at {@code file} at once, unless {@code file} exists. */
  private static void publish(Path temp, Path file) throws IOException {
    try {
      Files.createLink(file, temp);
    } catch (FileAlreadyExistsException e) {
      // Another process generated one first: theirs is the key.
    } catch (UnsupportedOperationException | FileSystemException e) {
      // No hard links here: a rename is still atomic, and this process checked under its lock.
      if (!Files.exists(file)) Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
    }
  }

  private static byte[] encodePublic(AsymmetricKeyParameter key) {
    try {
      return OpenSSHPublicKeyUtil.encodePublicKey(key);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
