package io.division.cli;

import io.division.core.config.DivConfig;
import io.division.core.store.dynamodb.DynamoSettings;
import java.nio.file.Path;
import java.util.Map;

final class ConfigCommand extends DivSubcommand implements Runnable {
  @Override
  CommandModel declare() {
    return command("config", "Show the configuration in effect.")
        .subcommand(new ConfigCommand.View());
  }

  @Override
  public void run() {
    throw new CliException(ExitCodes.USAGE, "use 'div config view'");
  }

  static final class View extends DivSubcommand implements Runnable {
    @Override
    CommandModel declare() {
      return command(
              "view",
              "Print the configuration in effect (file, store, namespace) and where each part came from.")
          .footer(
              "",
              "The file is found via --config, then $DIV_CONFIG, then ./div.yaml; without one, the",
              "embedded store under $DIVISION_HOME (default ~/.division) is used. Nothing is opened.");
    }

    @Override
    public void run() {
      Div div = div();
      Map<String, String> env = div.env;
      DivConfig.Location where = DivConfig.locate(div.config, env, Path.of("").toAbsolutePath());
      DivConfig config = DivConfig.discover(div.config, env, Path.of("").toAbsolutePath());
      String homeOrigin =
          env.get("DIVISION_HOME") != null && !env.get("DIVISION_HOME").isBlank()
              ? "$DIVISION_HOME"
              : "default";
      line(
          "config",
          where.file() == null ? "none" : where.file().toAbsolutePath().normalize().toString(),
          where.origin());
      line("home", config.home().toString(), homeOrigin);
      String url = config.storeUrl();
      line("store", url, config.source() == null ? "default" : "spec.source of the config file");
      if (url.startsWith("dynamodb:")) {
        DynamoSettings s = DynamoSettings.parse(url);
        line("tablePrefix", s.tablePrefix(), null);
        String region = s.region();
        String regionOrigin = "store URL";
        if (region == null) {
          region = firstSet(env, "AWS_REGION", "AWS_DEFAULT_REGION");
          regionOrigin = region == null ? null : "$AWS_REGION";
        }
        line(
            "region",
            region == null ? "unset (the AWS SDK's profile chain decides, or fails)" : region,
            regionOrigin);
        if (s.endpoint() != null) line("endpoint", s.endpoint().toString(), "store URL");
      }
      String ns = div.namespace;
      String nsOrigin = "--namespace";
      if (ns == null || ns.isBlank()) {
        ns = env.get("DIV_NAMESPACE");
        nsOrigin = "$DIV_NAMESPACE";
        if (ns == null || ns.isBlank()) {
          ns = div.namespace();
          nsOrigin = "default";
        }
      }
      line("namespace", ns, nsOrigin);
      line(
          "kinds",
          config.customResourceDefinitions().size() + " CustomResourceDefinition(s) in the file",
          null);
    }

    private static String firstSet(Map<String, String> env, String... names) {
      for (String n : names) {
        String v = env.get(n);
        if (v != null && !v.isBlank()) return v;
      }
      return null;
    }

    private void line(String key, String value, String origin) {
      out().printf("%-12s %s%s%n", key + ":", value, origin == null ? "" : "   # " + origin);
    }
  }
}
