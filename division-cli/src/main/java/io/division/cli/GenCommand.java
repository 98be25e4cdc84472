package io.division.cli;

import io.division.core.config.DivConfig;
import io.division.core.iam.IamPolicyGenerator;
import io.division.core.kind.BuiltinKinds;
import io.division.core.kind.KindDefinition;
import io.division.core.kind.KindRegistry;
import io.division.core.store.dynamodb.DynamoSettings;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

final class GenCommand extends DivSubcommand implements Runnable {
  @Override
  CommandModel declare() {
    return command("gen", "Generate configuration: gen iampolicy.")
        .subcommand(new GenCommand.IamPolicy());
  }

  @Override
  public void run() {
    throw new CliException(ExitCodes.USAGE, "use 'div gen iampolicy'");
  }

  static final class IamPolicy extends DivSubcommand implements Callable<Integer> {
    String access;
    List<String> kinds = new ArrayList<>();
    String region;
    String account;
    List<String> namespaces = new ArrayList<>();
    String tablePrefix;

    @Override
    CommandModel declare() {
      return command(
              "iampolicy",
              "Print an AWS IAM policy for the DynamoDB store, scoped to the given kinds, or for one"
                  + " of the two roles: gateway or ci.")
          .footer(
              "",
              "The policy covers exactly the tables and log tables those operations touch.",
              "Presets: gateway reads Deployments and Applications and writes Releases, Installs and",
              "Clusters; ci writes Deployments and Approvals and reads Projects, Applications,",
              "Releases, Installs and Clusters. Both read the kind definitions.",
              "",
              "Examples:",
              "  div gen iampolicy gateway --namespaces '*' --region eu-west-1 --account 123456789012",
              "  div gen iampolicy ci --namespaces team-a,team-b",
              "  div gen iampolicy readonly approval",
              "  div gen iampolicy readwrite install release --region eu-west-1 --account 123456789012")
          .positional(
              "0",
              "ACCESS",
              "readonly, writeonly or readwrite (then KINDs), or a preset: gateway, ci.",
              v -> access = v)
          .positionalList(
              "1..*", "KIND", "Kinds: kind, singular, plural or short name.", v -> kinds = v)
          .arity("0..*")
          .option("--region", "REGION", "AWS region (default: *).", v -> region = v)
          .option("--account", "ID", "12-digit AWS account id (default: *).", v -> account = v)
          .optionList(
              "--namespaces",
              "NS",
              "Namespaces of namespaced kinds; * for all (default: the -n namespace).",
              v -> namespaces = v)
          .split(",")
          .option(
              "--table-prefix",
              "PREFIX",
              "Table prefix (default: the one in div.yaml's dynamodb:// source, else div).",
              v -> tablePrefix = v);
    }

    @Override
    public Integer call() {
      Optional<IamPolicyGenerator.Preset> preset = IamPolicyGenerator.Preset.find(access);
      if (preset.isPresent() && !kinds.isEmpty())
        throw new CliException(
            ExitCodes.USAGE, "the " + access + " preset names its own kinds: give no KIND");
      if (preset.isEmpty() && kinds.isEmpty())
        throw new CliException(
            ExitCodes.USAGE, "name at least one KIND, or use a preset: gateway or ci");
      IamPolicyGenerator.Access level =
          preset.isPresent()
              ? IamPolicyGenerator.Access.READONLY
              : IamPolicyGenerator.Access.parse(access);
      // Kinds resolve from the configuration alone when they can: generating a policy should not
      // need the access it is about to grant.
      DivConfig config =
          DivConfig.discover(div().config, div().env, java.nio.file.Path.of("").toAbsolutePath());
      List<KindDefinition> staticDefs = new ArrayList<>();
      config.customResourceDefinitions().forEach(c -> staticDefs.add(KindDefinition.fromCrd(c)));
      KindRegistry local = new KindRegistry(staticDefs);
      List<String> names = new ArrayList<>();
      Set<String> clusterScoped = new LinkedHashSet<>();
      if (preset.isPresent()) names.add(BuiltinKinds.DEPLOYMENT); // scope only; the preset decides
      for (String k : kinds) {
        KindDefinition def = local.find(k).orElseGet(() -> division().resolve(k));
        names.add(def.kind());
        if (!def.namespaced()) clusterScoped.add(def.kind());
      }
      String prefix = tablePrefix;
      if (prefix == null && config.source() != null && config.source().startsWith("dynamodb:")) {
        prefix = DynamoSettings.parse(config.source()).tablePrefix();
      }
      IamPolicyGenerator.Request request =
          IamPolicyGenerator.Request.of(level, names)
              .withClusterScopedKinds(clusterScoped)
              .withNamespaces(namespaces.isEmpty() ? List.of(namespace()) : namespaces)
              .withTablePrefix(prefix)
              .withRegion(region)
              .withAccount(account);
      out()
          .println(
              preset.isPresent()
                  ? IamPolicyGenerator.generateJson(preset.get(), request)
                  : IamPolicyGenerator.generateJson(request));
      return ExitCodes.OK;
    }
  }
}
