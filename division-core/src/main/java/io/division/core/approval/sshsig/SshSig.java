package io.division.core.approval.sshsig;

import io.division.core.DivisionException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import org.bouncycastle.crypto.Signer;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.signers.RSADigestSigner;
import org.bouncycastle.crypto.util.OpenSSHPublicKeyUtil;

/**
 * SSH signatures in OpenSSH's SSHSIG format (PROTOCOL.sshsig), the format {@code ssh-keygen -Y
 * sign} writes and {@code ssh-keygen -Y verify} checks, so a decision signed here verifies with
 * stock OpenSSH and the other way round. Keys are read with BouncyCastle's OpenSSH utilities;
 * Ed25519 and RSA (signed as {@code rsa-sha2-512}) are supported. The message is hashed with
 * SHA-512, as ssh-keygen does by default.
 */
public final class SshSig {
  private static final byte[] MAGIC = "SSHSIG".getBytes(StandardCharsets.US_ASCII);
  private static final String HASH = "sha512";
  private static final String BEGIN = "-----BEGIN SSH SIGNATURE-----";
  private static final String END = "-----END SSH SIGNATURE-----";

  private SshSig() {}

  /** A signature that parsed: who signed (their public key blob) and over which namespace. */
  public record Parsed(byte[] publicKey, String namespace, String hashAlgorithm, byte[] signature) {
    /** The signer's key as an allowed-signers line writes it: {@code ssh-ed25519 AAAA...}. */
    public String publicKeyText() {
      return SshWire.reader(publicKey).string()
          + " "
          + Base64.getEncoder().encodeToString(publicKey);
    }
  }

  /**
   * Signs {@code message} with an unencrypted OpenSSH private key file; returns the armored text.
   */
  public static String sign(Path privateKeyFile, String namespace, byte[] message) {
    return SigningKey.read(privateKeyFile).sign(namespace, message);
  }

  /** The armored SSHSIG of a raw signature by {@code publicBlob}'s key. */
  static String envelope(byte[] publicBlob, String namespace, String algorithm, byte[] raw) {
    byte[] sigBlob = SshWire.writer().string(algorithm).bytes(raw).toByteArray();
    byte[] blob =
        SshWire.writer()
            .raw(MAGIC)
            .uint32(1)
            .bytes(publicBlob)
            .string(namespace)
            .string("")
            .string(HASH)
            .bytes(sigBlob)
            .toByteArray();
    return armor(blob);
  }

  /** Parses an armored signature; a malformed one is a one-line INVALID error. */
  public static Parsed parse(String armored) {
    String text = armored == null ? "" : armored.trim();
    if (!text.startsWith(BEGIN) || !text.endsWith(END)) {
      throw DivisionException.invalid(
          "not an SSH signature (expected " + BEGIN + " ... " + END + ")");
    }
    byte[] blob;
    try {
      blob =
          Base64.getMimeDecoder()
              .decode(text.substring(BEGIN.length(), text.length() - END.length()).trim());
    } catch (IllegalArgumentException e) {
      throw DivisionException.invalid("malformed SSH signature: bad base64");
    }
    try {
      SshWire.Reader r = SshWire.reader(blob);
      byte[] magic = r.raw(MAGIC.length);
      if (!java.util.Arrays.equals(magic, MAGIC)) throw DivisionException.invalid("bad preamble");
      long version = r.uint32();
      if (version != 1) throw DivisionException.invalid("unsupported version " + version);
      byte[] publicKey = r.bytes();
      String namespace = r.string();
      r.string(); // reserved
      String hash = r.string();
      byte[] signature = r.bytes();
      return new Parsed(publicKey, namespace, hash, signature);
    } catch (DivisionException | IndexOutOfBoundsException e) {
      throw DivisionException.invalid(
          "malformed SSH signature"
              + (e instanceof DivisionException ? ": " + e.getMessage() : ": truncated"));
    }
  }

  /**
   * Whether {@code parsed} is a valid signature of {@code message} in {@code namespace} by the key
   * it names. Whether that key may sign is the caller's question ({@link AllowedSigners}).
   */
  public static boolean verify(Parsed parsed, String namespace, byte[] message) {
    if (!namespace.equals(parsed.namespace())) return false;
    if (!HASH.equals(parsed.hashAlgorithm()) && !"sha256".equals(parsed.hashAlgorithm())) {
      return false;
    }
    AsymmetricKeyParameter key;
    try {
      key = OpenSSHPublicKeyUtil.parsePublicKey(parsed.publicKey());
    } catch (RuntimeException e) {
      return false;
    }
    SshWire.Reader sig = SshWire.reader(parsed.signature());
    String algorithm;
    byte[] raw;
    try {
      algorithm = sig.string();
      raw = sig.bytes();
    } catch (RuntimeException e) {
      return false;
    }
    Signer verifier;
    if (key instanceof Ed25519PublicKeyParameters && algorithm.equals("ssh-ed25519")) {
      verifier = new Ed25519Signer();
    } else if (key instanceof RSAKeyParameters && algorithm.equals("rsa-sha2-512")) {
      verifier = new RSADigestSigner(new SHA512Digest());
    } else if (key instanceof RSAKeyParameters && algorithm.equals("rsa-sha2-256")) {
      verifier = new RSADigestSigner(new org.bouncycastle.crypto.digests.SHA256Digest());
    } else {
      return false; // ssh-rsa (SHA-1) and other algorithms are not accepted
    }
    verifier.init(false, key);
    byte[] data = signedData(namespace, message, parsed.hashAlgorithm());
    verifier.update(data, 0, data.length);
    return verifier.verifySignature(raw);
  }

  /** The public key blob of a public key file's line ({@code ssh-ed25519 AAAA... comment}). */
  public static byte[] publicKeyBlob(String keyType, String base64) {
    byte[] blob;
    try {
      blob = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw DivisionException.invalid("malformed public key: bad base64");
    }
    try {
      OpenSSHPublicKeyUtil.parsePublicKey(blob);
    } catch (RuntimeException e) {
      throw DivisionException.invalid("malformed " + keyType + " public key");
    }
    String inner = SshWire.reader(blob).string();
    if (!inner.equals(keyType)) {
      throw DivisionException.invalid("public key says " + inner + ", line says " + keyType);
    }
    return blob;
  }

  static byte[] signedData(String namespace, byte[] message) {
    return signedData(namespace, message, HASH);
  }

  private static byte[] signedData(String namespace, byte[] message, String hash) {
    byte[] digest;
    try {
      digest =
          MessageDigest.getInstance(hash.equals("sha256") ? "SHA-256" : "SHA-512").digest(message);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    return SshWire.writer()
        .raw(MAGIC)
        .string(namespace)
        .string("")
        .string(hash)
        .bytes(digest)
        .toByteArray();
  }

  private static String armor(byte[] blob) {
    String b64 = Base64.getEncoder().encodeToString(blob);
    StringBuilder sb = new StringBuilder(BEGIN).append('\n');
    for (int i = 0; i < b64.length(); i += 70) {
      sb.append(b64, i, Math.min(b64.length(), i + 70)).append('\n');
    }
    return sb.append(END).append('\n').toString();
  }

  /** SSH wire encoding (RFC 4251): uint32 and length-prefixed strings. */
  static final class SshWire {
    static Writer writer() {
      return new Writer();
    }

    static Reader reader(byte[] data) {
      return new Reader(data);
    }

    static final class Writer {
      private final ByteArrayOutputStream out = new ByteArrayOutputStream();

      Writer raw(byte[] b) {
        out.writeBytes(b);
        return this;
      }

      Writer uint32(long v) {
        out.write((int) (v >>> 24) & 0xff);
        out.write((int) (v >>> 16) & 0xff);
        out.write((int) (v >>> 8) & 0xff);
        out.write((int) v & 0xff);
        return this;
      }

      Writer bytes(byte[] b) {
        uint32(b.length);
        return raw(b);
      }

      Writer string(String s) {
        return bytes(s.getBytes(StandardCharsets.UTF_8));
      }

      byte[] toByteArray() {
        return out.toByteArray();
      }
    }

    static final class Reader {
      private final byte[] data;
      private int pos;

      Reader(byte[] data) {
        this.data = data;
      }

      byte[] raw(int n) {
        if (n < 0 || pos + n > data.length) throw new IndexOutOfBoundsException("truncated");
        byte[] b = java.util.Arrays.copyOfRange(data, pos, pos + n);
        pos += n;
        return b;
      }

      long uint32() {
        byte[] b = raw(4);
        return ((b[0] & 0xffL) << 24)
            | ((b[1] & 0xffL) << 16)
            | ((b[2] & 0xffL) << 8)
            | (b[3] & 0xffL);
      }

      byte[] bytes() {
        long n = uint32();
        if (n > data.length) throw new IndexOutOfBoundsException("truncated");
        return raw((int) n);
      }

      String string() {
        return new String(bytes(), StandardCharsets.UTF_8);
      }
    }
  }
}
