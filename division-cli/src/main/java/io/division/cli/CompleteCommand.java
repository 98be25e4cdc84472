package io.division.cli;

import io.division.core.Division;
import io.division.core.kind.KindDefinition;
import io.division.core.model.Resource;
import io.division.core.store.ListQuery;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * What the completion scripts call for candidates that only the store knows: {@code div __complete
 * kinds} prints every kind's plural, {@code div __complete names KIND} the names of that kind in
 * the namespace. Errors print nothing: a completion must never spill onto the prompt.
 */
@Command(name = "__complete", hidden = true)
final class CompleteCommand extends DivSubcommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "kinds|names")
  String what;

  @Parameters(index = "1", arity = "0..1", paramLabel = "KIND")
  String kind;

  @Override
  public Integer call() {
    try {
      Division division = division();
      if (what.equals("kinds")) {
        for (KindDefinition k : division.kinds().all()) out().println(k.plural());
      } else if (what.equals("names") && kind != null) {
        KindDefinition k = division.resolve(kind);
        for (Resource r :
            division
                .store()
                .list(new ListQuery(k.kind(), k.namespaced() ? namespace() : null, null))
                .items()) out().println(r.name());
      }
    } catch (RuntimeException e) {
      return ExitCodes.ERROR;
    }
    return ExitCodes.OK;
  }
}
