package io.division.core.approval;

/**
 * The one wildcard match of approvals, for approver names and for the principals and namespaces of
 * an allowed-signers list: {@code *} matches any run of characters (also none), {@code ?} exactly
 * one, everything else itself, as OpenSSH's {@code match_pattern} reads an {@code allowed_signers}
 * file. No regular expression is built, so a name never needs escaping.
 */
public final class Wildcards {
  private Wildcards() {}

  /** Whether all of {@code text} matches {@code pattern}; a null text matches nothing. */
  public static boolean matches(String pattern, String text) {
    if (pattern == null || text == null) return false;
    int p = 0;
    int t = 0;
    int star = -1; // position in the pattern after the last '*'
    int resume = 0; // where in the text that '*' would next give way
    while (t < text.length()) {
      if (p < pattern.length()
          && (pattern.charAt(p) == '?' || pattern.charAt(p) == text.charAt(t))
          && pattern.charAt(p) != '*') {
        p++;
        t++;
      } else if (p < pattern.length() && pattern.charAt(p) == '*') {
        star = ++p;
        resume = t;
      } else if (star >= 0) {
        p = star;
        t = ++resume;
      } else {
        return false;
      }
    }
    while (p < pattern.length() && pattern.charAt(p) == '*') p++;
    return p == pattern.length();
  }
}
