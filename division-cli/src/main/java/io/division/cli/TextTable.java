package io.division.cli;

import java.util.List;

/**
 * Rows laid out as kubectl lays out a table: each column as wide as its widest cell so far, three
 * spaces apart, the last column unpadded. Widths only grow, so rows printed later (a watch's) line
 * up under those printed first.
 */
final class TextTable {
  private int[] widths = new int[0];

  /** The rows as lines, each ending in a newline; nothing for no rows. */
  String render(List<List<String>> rows) {
    if (rows.isEmpty()) return "";
    int columns = rows.get(0).size();
    if (widths.length != columns) widths = new int[columns];
    for (List<String> row : rows)
      for (int i = 0; i < row.size(); i++) widths[i] = Math.max(widths[i], row.get(i).length());
    StringBuilder sb = new StringBuilder();
    for (List<String> row : rows) {
      for (int i = 0; i < row.size(); i++) {
        String cell = row.get(i);
        sb.append(cell);
        if (i < row.size() - 1) sb.append(" ".repeat(widths[i] - cell.length() + 3));
      }
      sb.append('\n');
    }
    return sb.toString();
  }
}
