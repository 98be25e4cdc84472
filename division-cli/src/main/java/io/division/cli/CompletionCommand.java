package io.division.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "completion",
    description = "Print a shell completion script (bash or zsh).",
    footer = {
      "",
      "Examples:",
      "  source <(div completion bash)",
      "  div completion zsh > \"${fpath[1]}/_div\""
    })
final class CompletionCommand extends DivSubcommand implements Callable<Integer> {
  enum Shell {
    bash,
    zsh
  }

  @Parameters(paramLabel = "SHELL", description = "bash or zsh.")
  Shell shell;

  @Override
  public Integer call() {
    String script =
        AutoComplete.bash("div", new Div(out(), err(), div().in, div().env).commandLine());
    if (shell == Shell.zsh) {
      // picocli's script is bash; zsh runs it through its bash-completion emulation.
      out()
          .print(
              "#compdef div\nautoload -U +X compinit && compinit\nautoload -U +X bashcompinit && bashcompinit\n");
    }
    out().print(script);
    return ExitCodes.OK;
  }
}
