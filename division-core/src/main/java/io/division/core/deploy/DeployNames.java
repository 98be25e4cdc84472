package io.division.core.deploy;

import io.division.core.DivisionException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Names in the deploy model. The original's {@code mumoshu/microservices/myapp1} becomes {@code
 * mumoshu-microservices-myapp1}; composite names that would be too long are shortened with a hash
 * of the full name, so two different inputs never share a name.
 */
public final class DeployNames {
  /** Executor objects (Jobs, Secrets, pods' labels) are limited to 63 characters. */
  public static final int MAX_NAME = 63;

  /**
   * A git ref, tag, version or commit: letters, digits and {@code . _ / -}, starting with a letter
   * or digit, no {@code ..}, at most 128 characters. It reaches executors as an argument or an
   * environment variable, never through a shell, and this pattern keeps it that plain anyway.
   */
  public static final Pattern REF = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]{0,127}");

  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

  private DeployNames() {}

  /**
   * {@code mumoshu/microservices} → {@code mumoshu-microservices}; rejects what cannot be a name.
   */
  public static String resourceName(String what, String value) {
    if (value == null || value.isBlank()) throw DivisionException.invalid(what + " is required");
    String name = value.trim().toLowerCase(Locale.ROOT).replace('/', '-');
    if (name.length() > MAX_NAME || !DNS_LABEL.matcher(name).matches()) {
      throw DivisionException.invalid(
          what
              + " \""
              + value
              + "\" is not a valid name: use lowercase letters, digits, '-' and '/', at most "
              + MAX_NAME
              + " characters, starting and ending with a letter or digit");
    }
    return name;
  }

  public static String validateRef(String ref) {
    if (ref == null || !REF.matcher(ref).matches() || ref.contains("..")) {
      throw DivisionException.invalid(
          "ref \""
              + ref
              + "\" is not allowed: use letters, digits and . _ / -, starting with a letter or digit, at most 128 characters");
    }
    return ref;
  }

  public static String releaseName(String app, String cluster) {
    return join(app, cluster);
  }

  /** One Install per application, cluster and ref. */
  public static String installName(String app, String cluster, String ref) {
    return join(app, cluster, ref.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-"));
  }

  /** The executor's object for one attempt of an install: deterministic, so a restart finds it. */
  public static String objectName(String install, int attempt) {
    return join(install, "a" + attempt);
  }

  static String join(String... parts) {
    String full = String.join("-", parts).replaceAll("-+", "-").replaceAll("^-|-$", "");
    if (full.length() <= MAX_NAME) return full;
    String hash = sha256(String.join("\u0000", parts)).substring(0, 10);
    String prefix = full.substring(0, MAX_NAME - hash.length() - 1).replaceAll("-+$", "");
    return prefix + "-" + hash;
  }

  /** Lowercase hex SHA-256 of the text's UTF-8 bytes. */
  public static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by the Java platform", e);
    }
  }
}
