package io.division.core.text;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/** "Did you mean": the candidates nearest to a mistyped word, by edit distance. */
public final class Suggestions {
  private Suggestions() {}

  /**
   * The candidates at the smallest edit distance from {@code typed}, if that distance is small for
   * the word's length (one edit for short words, up to three for long ones); else none.
   */
  public static List<String> closest(String typed, Collection<String> candidates) {
    List<String> best = new ArrayList<>();
    if (typed == null || typed.isBlank()) return best;
    String t = typed.toLowerCase(Locale.ROOT);
    int limit = Math.max(1, Math.min(3, t.length() / 3));
    int bestDistance = Integer.MAX_VALUE;
    for (String c : candidates) {
      int d = distance(t, c.toLowerCase(Locale.ROOT));
      if (d > limit) continue;
      if (d < bestDistance) {
        bestDistance = d;
        best.clear();
      }
      if (d == bestDistance && !best.contains(c)) best.add(c);
    }
    return best;
  }

  /** Damerau-Levenshtein (optimal string alignment): a swap of two letters is one edit. */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) d[i][0] = i;
    for (int j = 0; j <= b.length(); j++) d[0][j] = j;
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
