package io.division.cli;

import io.division.core.Division;
import java.io.PrintStream;
import picocli.CommandLine.Model.CommandSpec;

/**
 * A div command below the root. Each declares its name, help and arguments in {@link #declare} (see
 * {@link CommandModel} for why in code), and reaches the root command's streams, store and
 * namespace through here.
 */
abstract class DivSubcommand {
  private CommandSpec spec;

  /** The command's model; {@link #command} starts one with {@code -h, --help} in it. */
  abstract CommandModel declare();

  final CommandModel command(String name, String... description) {
    return new CommandModel(this, name, description).helpOption();
  }

  final CommandSpec model() {
    spec = declare().build();
    return spec;
  }

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
