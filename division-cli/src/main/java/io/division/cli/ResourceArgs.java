package io.division.cli;

import io.division.core.Division;
import io.division.core.kind.KindDefinition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * kubectl's resource arguments: {@code KIND [NAME...]}, {@code KIND1,KIND2}, or {@code
 * KIND/NAME...} of mixed kinds. The result keeps the order kinds were first named in.
 */
final class ResourceArgs {
  /** One kind and the names asked for (empty: all of them). */
  record Request(KindDefinition kind, List<String> names) {}

  private ResourceArgs() {}

  static List<Request> parse(Division division, List<String> args) {
    if (args.isEmpty())
      throw new CliException(ExitCodes.USAGE, "specify a kind, KIND NAME..., or KIND/NAME...");
    Map<String, KindDefinition> kinds = new LinkedHashMap<>();
    Map<String, List<String>> names = new LinkedHashMap<>();
    if (args.get(0).contains("/")) {
      for (String arg : args) {
        int slash = arg.indexOf('/');
        if (slash <= 0 || slash == arg.length() - 1)
          throw new CliException(
              ExitCodes.USAGE,
              "\"" + arg + "\": with KIND/NAME arguments, every argument is KIND/NAME");
        KindDefinition kind = division.resolve(arg.substring(0, slash));
        kinds.putIfAbsent(kind.kind(), kind);
        List<String> list = names.computeIfAbsent(kind.kind(), k -> new ArrayList<>());
        String name = arg.substring(slash + 1);
        if (!list.contains(name)) list.add(name);
      }
    } else {
      for (String k : args.get(0).split(",")) {
        if (k.isBlank()) continue;
        KindDefinition kind = division.resolve(k.trim());
        kinds.putIfAbsent(kind.kind(), kind);
        names.putIfAbsent(kind.kind(), new ArrayList<>());
      }
      List<String> rest = args.subList(1, args.size());
      for (String n : rest) {
        if (n.contains("/"))
          throw new CliException(
              ExitCodes.USAGE, "\"" + n + "\": give either KIND NAME... or KIND/NAME..., not both");
      }
      if (!rest.isEmpty() && kinds.size() > 1)
        throw new CliException(
            ExitCodes.USAGE, "names need one kind; for several kinds use KIND/NAME arguments");
      if (!rest.isEmpty()) {
        List<String> list = names.get(kinds.keySet().iterator().next());
        rest.stream().filter(n -> !list.contains(n)).forEach(list::add);
      }
    }
    List<Request> out = new ArrayList<>();
    kinds.forEach((k, def) -> out.add(new Request(def, List.copyOf(names.get(k)))));
    return out;
  }
}
