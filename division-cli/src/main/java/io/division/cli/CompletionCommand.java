package io.division.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;

final class CompletionCommand extends DivSubcommand implements Callable<Integer> {
  enum Shell {
    bash,
    zsh
  }

  Shell shell;

  @Override
  CommandModel declare() {
    return command(
            "completion",
            "Print a shell completion script (bash or zsh): commands, flags, kinds and resource names.")
        .footer(
            "",
            "Examples:",
            "  source <(div completion bash)",
            "  div completion zsh > \"$${fpath[1]}/_div\"")
        .positional("0", "SHELL", "bash or zsh.", Shell.class, v -> shell = v);
  }

  /**
   * Kinds and names come from the store, so they are asked of div itself ({@code div __complete})
   * when the command takes resources; everything else is picocli's generated completion.
   */
  static final String DYNAMIC =
      """

      _div_resources() {
        local cur="${COMP_WORDS[COMP_CWORD]}" cmd="" kind="" ns=() i w skip=""
        for ((i = 1; i < COMP_CWORD; i++)); do
          w="${COMP_WORDS[i]}"
          if [[ -n $skip ]]; then
            [[ $skip == ns ]] && ns=(-n "$w")
            skip=""; continue
          fi
          case "$w" in
            -n|--namespace) skip=ns ;;
            -l|--selector|-o|--output|-f|--filename|--config|--field-selector|--sort-by|-L|--timeout|--for|--tail|--since|--as|-m|--type|-p) skip=1 ;;
            -*) ;;
            *) if [[ -z $cmd ]]; then cmd=$w
               elif [[ $cmd == logs && -z $kind && ( $w == read || $w == write ) ]]; then :
               elif [[ -z $kind ]]; then kind=$w; fi ;;
          esac
        done
        case "$cmd" in
          get|describe|delete|wait|patch|approve|reject|logs) ;;
          *) _picocli_div; return ;;
        esac
        if [[ "$cur" == -* || -n $skip ]]; then _picocli_div; return; fi
        if [[ "$cur" == */* ]]; then
          local k="${cur%%/*}"
          COMPREPLY=($(compgen -P "$k/" -W "$(div "${ns[@]}" __complete names "$k" 2>/dev/null)" -- "${cur#*/}"))
        elif [[ -z $kind || $kind == */* ]]; then
          COMPREPLY=($(compgen -W "$(div __complete kinds 2>/dev/null)" -- "$cur"))
        else
          COMPREPLY=($(compgen -W "$(div "${ns[@]}" __complete names "$kind" 2>/dev/null)" -- "$cur"))
        fi
      }
      complete -F _div_resources -o default div
      """;

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
    out().print(DYNAMIC);
    return ExitCodes.OK;
  }
}
