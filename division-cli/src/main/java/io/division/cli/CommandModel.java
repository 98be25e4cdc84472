package io.division.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.IGetter;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.Range;
import picocli.CommandLine.ScopeType;

/**
 * A command's picocli model, declared in code. picocli can read the same model from annotations,
 * but on every call that costs a dynamic proxy class per annotation type and reflection over every
 * field: about 60 ms of a 300 ms {@code div get} (docs/benchmarks.md). Declared here, the model
 * costs a few milliseconds, and the help and completion it produces are the same.
 *
 * <p>Each argument is bound to its command by a setter ({@code v -> selector = v}); fields keep
 * their Java initial values as defaults. Methods such as {@link #required()} and {@link
 * #defaultValue} apply to the argument declared just before them, so a declaration reads in the
 * order the annotations did:
 *
 * <pre>{@code
 * command("tail", "Print the end of a log.")
 *     .positional("0", "KIND", "Kind of the resource.", v -> kind = v)
 *     .option("--lines", "N", "How many lines.", Integer.class, v -> lines = v)
 *     .defaultValue("10")
 * }</pre>
 */
final class CommandModel {
  private final CommandSpec spec;

  /** Each an OptionSpec.Builder or a PositionalParamSpec.Builder (their common type is private). */
  private final List<Object> args = new ArrayList<>();

  private final List<Object> subcommands = new ArrayList<>();

  /**
   * {@code command} is what picocli runs: a {@link Runnable} or {@link
   * java.util.concurrent.Callable}.
   */
  CommandModel(Object command, String name, String... description) {
    spec = CommandSpec.wrapWithoutInspection(command).name(name);
    spec.usageMessage().description(description);
  }

  CommandModel header(String... lines) {
    spec.usageMessage().header(lines);
    return this;
  }

  CommandModel footer(String... lines) {
    spec.usageMessage().footer(lines);
    return this;
  }

  /** Left out of the help's command list (commands that scripts call, not people). */
  CommandModel hiddenCommand() {
    spec.usageMessage().hidden(true);
    return this;
  }

  /** The usage line's label for the subcommand, and the heading over their list. */
  CommandModel subcommandLabels(String synopsisLabel, String listHeading) {
    spec.usageMessage().synopsisSubcommandLabel(synopsisLabel).commandListHeading(listHeading);
    return this;
  }

  /** A subcommand: a {@link DivSubcommand} or any command picocli can read annotations from. */
  CommandModel subcommand(Object command) {
    subcommands.add(command);
    return this;
  }

  /** An option taking a string: {@code names} is "-o, --output" or "--output". */
  CommandModel option(String names, String label, String description, Consumer<String> set) {
    return option(names, label, description, String.class, set);
  }

  /** An option whose value picocli converts to {@code type} (Integer, Path, an enum...). */
  <T> CommandModel option(
      String names, String label, String description, Class<T> type, Consumer<T> set) {
    return add(
        OptionSpec.builder(names(names)).paramLabel(label).type(type),
        description,
        new Binding<>(set));
  }

  /** An option that may be repeated; {@code set} receives every value, in order. */
  CommandModel optionList(
      String names, String label, String description, Consumer<List<String>> set) {
    return add(
        OptionSpec.builder(names(names))
            .paramLabel(label)
            .type(List.class)
            .auxiliaryTypes(String.class),
        description,
        new Binding<>(set));
  }

  /** An option without a value: {@code set} receives true when it is given. */
  CommandModel flag(String names, String description, Consumer<Boolean> set) {
    return add(
        OptionSpec.builder(names(names)).type(boolean.class), description, new Binding<>(set));
  }

  /** {@code -h, --help}. */
  CommandModel helpOption() {
    return add(
        OptionSpec.builder("-h", "--help").usageHelp(true).type(boolean.class),
        "Show this help.",
        new Binding<Boolean>(requested -> {}));
  }

  /** A positional parameter at {@code index} ("0", "1") that its command's usage line explains. */
  CommandModel positional(String index, String label, Consumer<String> set) {
    return positional(index, label, null, String.class, set);
  }

  /**
   * A positional parameter at {@code index} ("0", "1"), required unless an {@link #arity} says
   * otherwise.
   */
  CommandModel positional(String index, String label, String description, Consumer<String> set) {
    return positional(index, label, description, String.class, set);
  }

  /** A positional parameter whose value picocli converts to {@code type}. */
  <T> CommandModel positional(
      String index, String label, String description, Class<T> type, Consumer<T> set) {
    return add(
        PositionalParamSpec.builder().index(index).paramLabel(label).type(type).required(true),
        description,
        new Binding<>(set));
  }

  /**
   * Positional parameters over a range of indexes ("1..*"), optional unless an {@link #arity} says
   * otherwise (as picocli makes an annotated list).
   */
  CommandModel positionalList(
      String index, String label, String description, Consumer<List<String>> set) {
    return add(
        PositionalParamSpec.builder()
            .index(index)
            .paramLabel(label)
            .type(List.class)
            .auxiliaryTypes(String.class)
            .arity("0..1"),
        description,
        new Binding<>(set));
  }

  CommandModel required() {
    return last(o -> o.required(true), p -> p.required(true));
  }

  /** How many values the argument takes; for a positional, also whether it is required. */
  CommandModel arity(String arity) {
    return last(o -> o.arity(arity), p -> p.arity(arity).required(Range.valueOf(arity).min() > 0));
  }

  /** The value used when the argument is not given; shown in help as ${DEFAULT-VALUE}. */
  CommandModel defaultValue(String value) {
    return last(o -> o.defaultValue(value), p -> p.defaultValue(value));
  }

  CommandModel split(String regex) {
    return last(o -> o.splitRegex(regex), p -> p.splitRegex(regex));
  }

  CommandModel hidden() {
    return last(o -> o.hidden(true), p -> p.hidden(true));
  }

  /** For an option with an optional value ({@code arity("0..1")}): the value when none is given. */
  CommandModel fallbackValue(String value) {
    return last(o -> o.fallbackValue(value), p -> notForPositionals("fallbackValue"));
  }

  /** The option is also accepted by every subcommand, and sets the same value. */
  CommandModel inherited() {
    return last(o -> o.scopeType(ScopeType.INHERIT), p -> notForPositionals("inherited"));
  }

  /** The finished model: its arguments in the order declared, then its subcommands. */
  CommandSpec build() {
    for (Object arg : args) {
      if (arg instanceof OptionSpec.Builder o) spec.addOption(o.build());
      else spec.addPositional(((PositionalParamSpec.Builder) arg).build());
    }
    for (Object sub : subcommands) {
      CommandSpec subSpec =
          sub instanceof DivSubcommand d ? d.model() : CommandSpec.forAnnotatedObject(sub);
      spec.addSubcommand(subSpec.name(), subSpec);
    }
    return spec;
  }

  private CommandModel add(OptionSpec.Builder option, String description, Binding<?> binding) {
    // No initial value: picocli would reset each field to it before parsing, but every call
    // builds a new command, so the field's own initial value is already in place.
    if (description != null) option.description(description);
    option.hasInitialValue(false).setter(binding).getter(binding);
    args.add(option);
    return this;
  }

  private CommandModel add(
      PositionalParamSpec.Builder positional, String description, Binding<?> binding) {
    if (description != null) positional.description(description);
    positional.hasInitialValue(false).setter(binding).getter(binding);
    args.add(positional);
    return this;
  }

  private CommandModel last(
      Consumer<OptionSpec.Builder> ifOption, Consumer<PositionalParamSpec.Builder> ifPositional) {
    if (args.isEmpty()) throw new IllegalStateException("no argument declared yet");
    Object last = args.get(args.size() - 1);
    if (last instanceof OptionSpec.Builder o) ifOption.accept(o);
    else ifPositional.accept((PositionalParamSpec.Builder) last);
    return this;
  }

  private static void notForPositionals(String attribute) {
    throw new IllegalStateException(attribute + " applies to options only");
  }

  private static String[] names(String names) {
    return names.split(",\\s*");
  }

  /** Hands each parsed value to the command, and gives picocli back the last one set. */
  private static final class Binding<T> implements ISetter, IGetter {
    private final Consumer<T> set;
    private Object value;

    Binding(Consumer<T> set) {
      this.set = set;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <V> V set(V newValue) {
      Object old = value;
      value = newValue;
      set.accept((T) newValue);
      return (V) old;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <V> V get() {
      return (V) value;
    }
  }
}
