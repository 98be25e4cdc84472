package io.division.cli;

import io.division.core.Division;
import io.division.core.kind.KindDefinition;
import io.division.core.model.ResourceKey;

/** Resolves {@code KIND NAME} or {@code KIND/NAME} arguments to a key. */
final class KindAndName {
  private KindAndName() {}

  static ResourceKey resolve(Division division, String namespace, String kindArg, String name) {
    String kindName = kindArg;
    String n = name;
    if (kindArg.contains("/")) {
      if (name != null)
        throw new CliException(ExitCodes.USAGE, "give either KIND/NAME or KIND NAME, not both");
      kindName = kindArg.substring(0, kindArg.indexOf('/'));
      n = kindArg.substring(kindArg.indexOf('/') + 1);
    }
    if (n == null || n.isBlank())
      throw new CliException(ExitCodes.USAGE, "a resource name is required: KIND NAME");
    KindDefinition kind = division.resolve(kindName);
    return division.key(kind, namespace, n);
  }
}
