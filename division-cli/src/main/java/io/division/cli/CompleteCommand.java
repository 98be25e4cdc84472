package io.division.cli;

import io.division.core.Division;
import io.division.core.kind.KindDefinition;
import io.division.core.model.Resource;
import io.division.core.store.ListQuery;
import java.util.concurrent.Callable;

/**
 * What the completion scripts call for candidates that only the store knows: {@code div __complete
 * kinds} prints every kind's plural, {@code div __complete names KIND} the names of that kind in
 * the namespace. Errors print nothing: a completion must never spill onto the prompt.
 */
final class CompleteCommand extends DivSubcommand implements Callable<Integer> {
  String what;
  String kind;

  @Override
  CommandModel declare() {
    return command("__complete")
        .hiddenCommand()
        .positional("0", "kinds|names", v -> what = v)
        .positional("1", "KIND", v -> kind = v)
        .arity("0..1");
  }

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
