package io.division.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** What a declared model binds: values, defaults, lists, required arguments, inherited options. */
class CommandModelTest {
  static final class Root implements Runnable {
    String namespace = "default";

    @Override
    public void run() {}
  }

  static final class Tail extends DivSubcommand implements Runnable {
    String kind;
    String name;
    int lines = 5;
    Path file;
    boolean follow;
    List<String> labels = new ArrayList<>();
    List<String> rest = new ArrayList<>();

    @Override
    CommandModel declare() {
      return command("tail", "Print the end of a log.")
          .positional("0", "KIND", "Kind.", v -> kind = v)
          .positional("1", "NAME", v -> name = v)
          .arity("0..1")
          .positionalList("2..*", "MORE", "More names.", v -> rest = v)
          .option("--lines", "N", "How many lines.", Integer.class, v -> lines = v)
          .defaultValue("10")
          .option("-f, --file", "FILE", "A file.", Path.class, v -> file = v)
          .flag("--follow", "Keep following.", v -> follow = v)
          .optionList("-L", "KEY", "Labels.", v -> labels = v)
          .split(",");
    }

    @Override
    public void run() {}
  }

  private static CommandLine parse(Root root, Tail tail, String... args) {
    CommandLine cl =
        new CommandLine(
            new CommandModel(root, "div", "Test root.")
                .option("-n, --namespace", "NS", "Namespace.", v -> root.namespace = v)
                .inherited()
                .subcommand(tail)
                .build());
    cl.parseArgs(args);
    return cl;
  }

  @Test
  void valuesReachTheirFieldsConvertedAndDefaultsApply() {
    Root root = new Root();
    Tail tail = new Tail();
    parse(root, tail, "tail", "install", "app", "x", "y", "-f", "a.log", "--follow", "-L", "a,b");
    assertThat(tail.kind).isEqualTo("install");
    assertThat(tail.name).isEqualTo("app");
    assertThat(tail.rest).containsExactly("x", "y");
    assertThat(tail.lines).isEqualTo(10); // the declared default, not the field's 5
    assertThat(tail.file).isEqualTo(Path.of("a.log"));
    assertThat(tail.follow).isTrue();
    assertThat(tail.labels).containsExactly("a", "b");
    assertThat(root.namespace).isEqualTo("default");
  }

  @Test
  void optionalArgumentsKeepTheFieldsValuesAndInheritedOptionsSetTheRoots() {
    Root root = new Root();
    Tail tail = new Tail();
    parse(root, tail, "tail", "install", "--lines", "3", "-n", "team-a");
    assertThat(tail.name).isNull();
    assertThat(tail.rest).isEmpty();
    assertThat(tail.follow).isFalse();
    assertThat(tail.lines).isEqualTo(3);
    assertThat(root.namespace).isEqualTo("team-a");
  }

  @Test
  void aMissingRequiredPositionalAndABadNumberAreUsageErrors() {
    assertThatThrownBy(() -> parse(new Root(), new Tail(), "tail"))
        .isInstanceOf(CommandLine.MissingParameterException.class)
        .hasMessageContaining("KIND");
    assertThatThrownBy(() -> parse(new Root(), new Tail(), "tail", "install", "--lines", "x"))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("--lines");
  }

  @Test
  void attributesForOptionsOnlyAreRefusedOnAPositional() {
    CommandModel model =
        new CommandModel(new Root(), "div", "Test root.").positional("0", "X", v -> {});
    assertThatThrownBy(model::inherited).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> new CommandModel(new Root(), "div").required())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("no argument declared yet");
  }
}
