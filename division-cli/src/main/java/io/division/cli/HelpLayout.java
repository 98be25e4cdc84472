package io.division.cli;

import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * Help that fits the terminal: descriptions and prose wrap to its width ($COLUMNS, else what
 * picocli detects), while the indented lines of footers (examples) are printed whole, so that no
 * example command is broken across lines where a copy and paste would pick up the break.
 */
final class HelpLayout {
  private HelpLayout() {}

  static void apply(CommandLine cl, Map<String, String> env) {
    Integer columns = null;
    try {
      String c = env.get("COLUMNS");
      if (c != null && !c.isBlank()) columns = Integer.parseInt(c.trim());
    } catch (NumberFormatException e) {
      columns = null;
    }
    apply(cl, columns);
  }

  private static void apply(CommandLine cl, Integer columns) {
    if (columns != null) {
      cl.setUsageHelpWidth(Math.max(55, columns));
    } else {
      cl.setUsageHelpAutoWidth(true);
    }
    cl.getHelpSectionMap()
        .put(
            UsageMessageSpec.SECTION_KEY_FOOTER,
            help -> {
              String[] lines = help.commandSpec().usageMessage().footer();
              int width = help.commandSpec().usageMessage().width();
              StringBuilder sb = new StringBuilder();
              for (String line : lines) {
                String text = line.replace("%n", System.lineSeparator());
                // Indented lines are examples: kept whole. Prose wraps to the width.
                if (text.startsWith(" ") || text.length() <= width) sb.append(text);
                else sb.append(wrap(text, width));
                sb.append(System.lineSeparator());
              }
              return sb.toString();
            });
    for (CommandLine sub : cl.getSubcommands().values()) apply(sub, columns);
  }

  static String wrap(String text, int width) {
    StringBuilder out = new StringBuilder();
    int column = 0;
    for (String word : text.split(" ")) {
      if (column > 0 && column + 1 + word.length() > width) {
        out.append(System.lineSeparator());
        column = 0;
      } else if (column > 0) {
        out.append(' ');
        column++;
      }
      out.append(word);
      column += word.length();
    }
    return out.toString();
  }
}
