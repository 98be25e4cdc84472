package io.division.cli;

import io.division.core.Division;
import java.io.PrintStream;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Gives every subcommand, however deep, the root command's streams, store and namespace. */
abstract class DivSubcommand {
  @Spec CommandSpec spec;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help.")
  boolean help;

  Div div() {
    return (Div) spec.root().userObject();
  }

  Division division() {
    return div().division();
  }

  PrintStream out() {
    return div().out;
  }

  PrintStream err() {
    return div().err;
  }

  String namespace() {
    return div().namespace();
  }
}
