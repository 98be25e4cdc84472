package io.division.cli;

import io.division.core.config.DivConfig;
import io.division.core.iam.IamPolicyGenerator;
import io.division.core.kind.KindDefinition;
import io.division.core.kind.KindRegistry;
import io.division.core.store.dynamodb.DynamoSettings;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "gen",
    description = "Generate configuration: gen iampolicy.",
    subcommands = {GenCommand.IamPolicy.class})
final class GenCommand extends DivSubcommand implements Runnable {
  @Override
  public void run() {
    throw new CliException(ExitCodes.USAGE, "use 'div gen iampolicy'");
  }

  @Command(
      name = "iampolicy",
      description = "Print an AWS IAM policy for the DynamoDB store, scoped to the given kinds.",
      footer = {
        "",
        "The policy covers exactly the tables, streams and log tables those operations touch.",
        "",
        "Examples:",
        "  div gen iampolicy readonly approval",
        "  div gen iampolicy readwrite install release --region eu-west-1 --account 123456789012"
      })
  static final class IamPolicy extends DivSubcommand implements Callable<Integer> {
    @Parameters(
        index = "0",
        paramLabel = "ACCESS",
        description = "readonly, writeonly or readwrite.")
    String access;

    @Parameters(
        index = "1..*",
        arity = "1..*",
        paramLabel = "KIND",
        description = "Kinds: kind, singular, plural or short name.")
    List<String> kinds = new ArrayList<>();

    @Option(names = "--region", paramLabel = "REGION", description = "AWS region (default: *).")
    String region;

    @Option(
        names = "--account",
        paramLabel = "ID",
        description = "12-digit AWS account id (default: *).")
    String account;

    @Option(
        names = "--namespaces",
        split = ",",
        paramLabel = "NS",
        description = "Namespaces of namespaced kinds; * for all (default: the -n namespace).")
    List<String> namespaces = new ArrayList<>();

    @Option(
        names = "--table-prefix",
        paramLabel = "PREFIX",
        description = "Table prefix (default: the one in div.yaml's dynamodb:// source, else div).")
    String tablePrefix;

    @Override
    public Integer call() {
      IamPolicyGenerator.Access level = IamPolicyGenerator.Access.parse(access);
      // Kinds resolve from the configuration alone when they can: generating a policy should not
      // need the access it is about to grant.
      DivConfig config =
          DivConfig.discover(div().config, div().env, java.nio.file.Path.of("").toAbsolutePath());
      List<KindDefinition> staticDefs = new ArrayList<>();
      config.customResourceDefinitions().forEach(c -> staticDefs.add(KindDefinition.fromCrd(c)));
      KindRegistry local = new KindRegistry(staticDefs);
      List<String> names = new ArrayList<>();
      Set<String> clusterScoped = new LinkedHashSet<>();
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
      out().println(IamPolicyGenerator.generateJson(request));
      return ExitCodes.OK;
    }
  }
}
