package io.division.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "version", description = "Print the div version.")
final class VersionCommand extends DivSubcommand implements Callable<Integer> {
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
