package io.division.cli;

import io.division.core.text.Suggestions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;

/** kubectl habits div accepts: {@code div logs KIND/NAME}, and "did you mean" for a typo. */
final class CliShorthands {
  private CliShorthands() {}

  /** {@code div logs KIND/NAME ...} and {@code div logs KIND NAME ...} read the log. */
  static String[] expand(String[] args) {
    List<String> list = new ArrayList<>(Arrays.asList(args));
    for (int i = 0; i < list.size(); i++) {
      String a = list.get(i);
      if (a.equals("--config") || a.equals("-n") || a.equals("--namespace")) {
        i++;
        continue;
      }
      if (a.startsWith("-")) continue;
      if (!a.equals("logs")) return args;
      // The first word after "logs" that is not an option decides.
      for (int j = i + 1; j < list.size(); j++) {
        String next = list.get(j);
        if (next.equals("-n") || next.equals("--namespace") || next.equals("--config")) {
          j++;
          continue;
        }
        if (next.startsWith("-")) {
          if (next.equals("-h") || next.equals("--help")) return args;
          continue;
        }
        if (next.equals("read") || next.equals("write")) return args;
        list.add(i + 1, "read");
        return list.toArray(String[]::new);
      }
      return args;
    }
    return args;
  }

  /**
   * The one-line message for a command line picocli could not parse: an unknown command is named
   * with the nearest commands; an unknown option with picocli's suggestions.
   */
  static String message(CommandLine.ParameterException ex) {
    if (ex instanceof CommandLine.UnmatchedArgumentException u
        && u.getCommandLine().getParent() == null
        && !u.getUnmatched().isEmpty()
        && !u.getUnmatched().get(0).startsWith("-")) {
      String typed = u.getUnmatched().get(0);
      List<String> commands =
          u.getCommandLine().getSubcommands().entrySet().stream()
              .filter(e -> !e.getValue().getCommandSpec().usageMessage().hidden())
              .map(java.util.Map.Entry::getKey)
              .toList();
      List<String> best = Suggestions.closest(typed, commands);
      return "unknown command \""
          + typed
          + "\""
          + (best.isEmpty() ? "" : "; did you mean " + String.join(" or ", best) + "?");
    }
    if (ex instanceof CommandLine.UnmatchedArgumentException u) {
      List<String> s = u.getSuggestions();
      if (s != null && !s.isEmpty())
        return ex.getMessage()
            + "; did you mean "
            + String.join(" or ", s.subList(0, Math.min(3, s.size())))
            + "?";
    }
    return ex.getMessage();
  }
}
