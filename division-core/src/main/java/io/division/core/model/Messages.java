package io.division.core.model;

/** Error messages are one line: library messages (YAML, JSON, SDK) often span several. */
public final class Messages {
  /** Longer messages are cut here: a line on a terminal, not a dump. */
  private static final int MAX = 300;

  private Messages() {}

  /** Joins a multi-line message into one line and shortens it; null becomes "". */
  public static String oneLine(String s) {
    if (s == null) return "";
    String line = s.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
    return line.length() > MAX ? line.substring(0, MAX) + "..." : line;
  }

  /**
   * A value read from an untrusted place (the store, a file), quoted for a one-line message:
   * control characters escaped, at most 80 characters kept.
   */
  public static String quote(String s) {
    if (s == null) return "null";
    StringBuilder out = new StringBuilder("\"");
    int limit = Math.min(s.length(), 80);
    for (int i = 0; i < limit; i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') out.append('\\').append(c);
      else if (c < 0x20 || c == 0x7f) out.append(String.format("\\u%04x", (int) c));
      else out.append(c);
    }
    return out.append(s.length() > limit ? "...\"" : "\"").toString();
  }
}
