package io.division.cli;

import java.util.concurrent.Callable;

final class VersionCommand extends DivSubcommand implements Callable<Integer> {
  @Override
  CommandModel declare() {
    return command("version", "Print the div version.");
  }

  static String version() {
    String v = Div.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  @Override
  public Integer call() {
    out().println("Client Version: v" + version());
    out().println("Java Version: " + System.getProperty("java.version"));
    return ExitCodes.OK;
  }
}
