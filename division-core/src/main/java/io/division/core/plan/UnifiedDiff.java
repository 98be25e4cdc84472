package io.division.core.plan;

import java.util.ArrayList;
import java.util.List;

/**
 * A line diff in {@code diff -u} format, as {@code kubectl diff} prints it. Resources are small
 * (hundreds of lines at most), so the longest common subsequence table is fine.
 */
public final class UnifiedDiff {
  private static final int CONTEXT = 3;

  private UnifiedDiff() {}

  /** Empty when the texts are equal. */
  public static String of(String fromName, String toName, String from, String to) {
    List<String> a = from.isEmpty() ? List.of() : from.lines().toList();
    List<String> b = to.isEmpty() ? List.of() : to.lines().toList();
    if (a.equals(b)) return "";
    int[][] lcs = new int[a.size() + 1][b.size() + 1];
    for (int i = a.size() - 1; i >= 0; i--)
      for (int j = b.size() - 1; j >= 0; j--)
        lcs[i][j] =
            a.get(i).equals(b.get(j))
                ? lcs[i + 1][j + 1] + 1
                : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    // Edit script: ' ' keep, '-' remove, '+' add, with each line's position on both sides.
    record Edit(char op, String line, int ai, int bi) {}
    List<Edit> edits = new ArrayList<>();
    int i = 0;
    int j = 0;
    while (i < a.size() || j < b.size()) {
      if (i < a.size() && j < b.size() && a.get(i).equals(b.get(j))) {
        edits.add(new Edit(' ', a.get(i), i++, j++));
      } else if (j < b.size() && (i == a.size() || lcs[i][j + 1] >= lcs[i + 1][j])) {
        edits.add(new Edit('+', b.get(j), i, j++));
      } else {
        edits.add(new Edit('-', a.get(i), i++, j));
      }
    }
    StringBuilder out = new StringBuilder();
    out.append("--- ").append(fromName).append('\n');
    out.append("+++ ").append(toName).append('\n');
    int k = 0;
    while (k < edits.size()) {
      if (edits.get(k).op() == ' ') {
        k++;
        continue;
      }
      int start = Math.max(0, k - CONTEXT);
      int end = k;
      // Extend the hunk while changes are within 2*CONTEXT lines of each other.
      int lastChange = k;
      while (end < edits.size()) {
        if (edits.get(end).op() != ' ') lastChange = end;
        else if (end - lastChange > 2 * CONTEXT) break;
        end++;
      }
      end = Math.min(edits.size(), lastChange + CONTEXT + 1);
      int aStart = edits.get(start).ai();
      int bStart = edits.get(start).bi();
      int aCount = 0;
      int bCount = 0;
      StringBuilder body = new StringBuilder();
      for (int e = start; e < end; e++) {
        Edit edit = edits.get(e);
        if (edit.op() != '+') aCount++;
        if (edit.op() != '-') bCount++;
        body.append(edit.op()).append(edit.line()).append('\n');
      }
      out.append("@@ -")
          .append(range(aStart, aCount))
          .append(" +")
          .append(range(bStart, bCount))
          .append(" @@\n")
          .append(body);
      k = end;
    }
    return out.toString();
  }

  private static String range(int start, int count) {
    int first = count == 0 ? start : start + 1;
    return count == 1 ? String.valueOf(first) : first + "," + count;
  }
}
