package io.division.cli;

import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * Help that fits the terminal: descriptions wrap to its width ($COLUMNS, else what picocli
 * detects), while footers (examples) are printed as written, so that no example command is broken
 * across lines where a copy and paste would pick up the break.
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
              if (lines.length == 0) return "";
              StringBuilder sb = new StringBuilder();
              for (String line : lines)
                sb.append(line.replace("%n", System.lineSeparator()))
                    .append(System.lineSeparator());
              return sb.toString();
            });
    for (CommandLine sub : cl.getSubcommands().values()) apply(sub, columns);
  }
}
