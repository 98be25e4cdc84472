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
}
