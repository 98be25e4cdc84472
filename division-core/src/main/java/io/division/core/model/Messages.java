package io.division.core.model;

/**
 * Error messages are one line: library messages (YAML, JSON, SDK) often span several, and values
 * users typed (a name with a newline, a terminal escape) must not break the line or the terminal.
 */
public final class Messages {
  /** Longer messages are cut here: a line on a terminal, not a dump. */
  private static final int MAX = 300;

  /** A quoted value is cut here: enough to recognise it, not enough to flood a line. */
  private static final int QUOTED_MAX = 80;

  private Messages() {}

  /**
   * Joins a multi-line message into one line and shortens it; other control characters are escaped;
   * null becomes "".
   */
  public static String oneLine(String s) {
    if (s == null) return "";
    String line = escapeControls(s.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim());
    return line.length() > MAX ? line.substring(0, MAX) + "..." : line;
  }

  /**
   * A value read from an untrusted place (the store, a file, a name a user typed), quoted for a
   * one-line message: in double quotes, with quotes, backslashes and control characters escaped as
   * in JSON ({@code "a\nb"}), so it can neither end the line nor hide; at most 80 characters kept.
   */
  public static String quote(String value) {
    if (value == null) return "null";
    int limit = Math.min(value.length(), QUOTED_MAX);
    StringBuilder sb = new StringBuilder(limit + 8).append('"');
    for (int i = 0; i < limit; i++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\\') sb.append('\\').append(c);
      else appendEscaped(sb, c);
    }
    return sb.append(value.length() > limit ? "...\"" : "\"").toString();
  }

  /** The message with every control character written as an escape; nothing else changes. */
  public static String escapeControls(String s) {
    if (s == null) return "";
    StringBuilder sb = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (isControl(c)) {
        if (sb == null) sb = new StringBuilder(s.length() + 8).append(s, 0, i);
        appendEscaped(sb, c);
      } else if (sb != null) {
        sb.append(c);
      }
    }
    return sb == null ? s : sb.toString();
  }

  private static boolean isControl(char c) {
    return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029';
  }

  private static void appendEscaped(StringBuilder sb, char c) {
    switch (c) {
      case '\n' -> sb.append("\\n");
      case '\r' -> sb.append("\\r");
      case '\t' -> sb.append("\\t");
      default -> {
        if (isControl(c)) sb.append(String.format("\\u%04x", (int) c));
        else sb.append(c);
      }
    }
  }
}
