package io.division.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.division.core.model.Json;
import io.division.core.model.Resource;
import io.division.core.model.ResourceKey;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.concurrent.Callable;

final class PatchCommand extends DivSubcommand implements Callable<Integer> {
  String kind;
  String name;
  String type;
  String patch;

  @Override
  CommandModel declare() {
    return command("patch", "Update fields of a resource with a JSON merge patch.")
        .footer(
            "",
            "The patch is applied to the latest version; a concurrent change is retried, never lost.",
            "A metadata.resourceVersion in the patch is a precondition: if the resource has changed since",
            "that version, the patch fails with a conflict and nothing is written. The result is checked",
            "as an apply of it would be (names, labels, the kind's schema).",
            "",
            "Examples:",
            "  div patch approval a1 --type merge -p '{\"status\":{\"phase\":\"Approved\"}}'")
        .positional("0", "KIND", v -> kind = v)
        .positional("1", "NAME", v -> name = v)
        .arity("0..1")
        .option("--type", "merge", "Patch type; only merge (RFC 7386) is supported.", v -> type = v)
        .defaultValue("merge")
        .option("-p, --patch", "JSON", "The patch, as a JSON object.", v -> patch = v)
        .required();
  }

  @Override
  public Integer call() {
    if (!type.equals("merge")) {
      throw new CliException(
          ExitCodes.USAGE, "--type " + type + " is not supported: use --type merge");
    }
    JsonNode node;
    try {
      node = Json.parse(patch);
    } catch (UncheckedIOException e) {
      throw new CliException(
          ExitCodes.ERROR,
          "--patch is not valid JSON: " + e.getCause().getMessage().lines().findFirst().orElse(""));
    }
    ResourceKey key = KindAndName.resolve(division(), namespace(), kind, name);
    Resource before = division().store().get(key);
    Resource after = division().patch(key, node);
    String what = key.kind().toLowerCase(Locale.ROOT) + "/" + key.name();
    out()
        .println(
            what
                + (after.resourceVersion().equals(before.resourceVersion())
                    ? " patched (no change)"
                    : " patched"));
    return ExitCodes.OK;
  }
}
