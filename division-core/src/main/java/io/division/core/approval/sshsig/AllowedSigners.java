package io.division.core.approval.sshsig;

import io.division.core.DivisionException;
import io.division.core.approval.Wildcards;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * An allowed-signers list in the format of git's {@code gpg.ssh.allowedSignersFile} and {@code
 * ssh-keygen -Y verify -f}: one line per key, {@code principals [options] keytype base64key
 * [comment]}, principals comma-separated with {@code *} and {@code ?} wildcards, options {@code
 * namespaces="..."} (others, such as {@code cert-authority}, are refused: certificates are not
 * supported). It lives in the waiter's configuration, never in the store, so a store writer cannot
 * add a key of their own.
 */
public final class AllowedSigners {
  /** One line: who may sign with this key, and in which namespaces (empty: any). */
  public record Entry(
      List<String> principals, List<String> namespaces, byte[] publicKey, int line) {
    boolean allows(String principal, String namespace) {
      boolean nsOk =
          namespaces.isEmpty()
              || namespaces.stream().anyMatch(n -> Wildcards.matches(n, namespace));
      return nsOk && principals.stream().anyMatch(p -> Wildcards.matches(p, principal));
    }
  }

  private final List<Entry> entries;
  private final String source;

  private AllowedSigners(List<Entry> entries, String source) {
    this.entries = List.copyOf(entries);
    this.source = source;
  }

  public static AllowedSigners read(Path file) {
    try {
      return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    } catch (IOException e) {
      throw DivisionException.invalid(
          "cannot read allowed signers " + file + ": " + e.getMessage());
    }
  }

  public static AllowedSigners parse(String text, String source) {
    List<Entry> entries = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) continue;
      try {
        entries.add(parseLine(line, i + 1));
      } catch (DivisionException e) {
        throw DivisionException.invalid(source + " line " + (i + 1) + ": " + e.getMessage());
      }
    }
    return new AllowedSigners(entries, source);
  }

  public String source() {
    return source;
  }

  public List<Entry> entries() {
    return entries;
  }

  /**
   * The entry that lets {@code principal} sign in {@code namespace} with exactly this key, if any.
   */
  public Optional<Entry> find(String principal, String namespace, byte[] publicKey) {
    return entries.stream()
        .filter(e -> Arrays.equals(e.publicKey(), publicKey) && e.allows(principal, namespace))
        .findFirst();
  }

  private static Entry parseLine(String line, int number) {
    List<String> tokens = tokenize(line);
    if (tokens.size() < 3) throw DivisionException.invalid("expected: principals keytype key");
    List<String> principals = List.of(tokens.get(0).split(","));
    int at = 1;
    List<String> namespaces = List.of();
    if (!looksLikeKeyType(tokens.get(at))) {
      for (String option : splitOptions(tokens.get(at))) {
        String o = option.strip();
        if (o.toLowerCase(java.util.Locale.ROOT).startsWith("namespaces=")) {
          namespaces = List.of(unquote(o.substring("namespaces=".length())).split(","));
        } else {
          throw DivisionException.invalid("unsupported option " + o);
        }
      }
      at++;
    }
    if (tokens.size() < at + 2) throw DivisionException.invalid("the key is missing");
    String keyType = tokens.get(at);
    if (!keyType.equals("ssh-ed25519") && !keyType.equals("ssh-rsa")) {
      throw DivisionException.invalid(
          "unsupported key type " + keyType + " (ssh-ed25519, ssh-rsa)");
    }
    return new Entry(
        principals, namespaces, SshSig.publicKeyBlob(keyType, tokens.get(at + 1)), number);
  }

  private static boolean looksLikeKeyType(String token) {
    return token.startsWith("ssh-") || token.startsWith("ecdsa-") || token.startsWith("sk-");
  }

  /** Splits on spaces outside double quotes. */
  private static List<String> tokenize(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean quoted = false;
    for (char c : line.toCharArray()) {
      if (c == '"') quoted = !quoted;
      if (!quoted && Character.isWhitespace(c)) {
        if (current.length() > 0) out.add(current.toString());
        current.setLength(0);
      } else {
        current.append(c);
      }
    }
    if (quoted) throw DivisionException.invalid("unterminated quote");
    if (current.length() > 0) out.add(current.toString());
    return out;
  }

  private static List<String> splitOptions(String options) {
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean quoted = false;
    for (char c : options.toCharArray()) {
      if (c == '"') quoted = !quoted;
      if (c == ',' && !quoted) {
        out.add(current.toString());
        current.setLength(0);
      } else {
        current.append(c);
      }
    }
    out.add(current.toString());
    return out;
  }

  private static String unquote(String s) {
    return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")
        ? s.substring(1, s.length() - 1)
        : s;
  }
}
