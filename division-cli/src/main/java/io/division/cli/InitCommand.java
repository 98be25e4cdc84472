package io.division.cli;

import io.division.core.config.DivConfig;
import io.division.core.store.dynamodb.DynamoSettings;
import io.division.core.store.dynamodb.DynamoTables;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Callable;

final class InitCommand extends DivSubcommand implements Callable<Integer> {
  enum Source {
    sqlite,
    dynamodb
  }

  Source source;
  String region;
  String tablePrefix;
  String endpoint;
  String profile;
  boolean force;

  @Override
  CommandModel declare() {
    return command("init", "Write a div.yaml for the embedded store or DynamoDB.")
        .footer(
            "",
            "The file goes to --config FILE if given, else ./div.yaml; every div run in that folder then",
            "uses it ('div config view' shows which configuration is in effect).",
            "",
            "Examples:",
            "  div init",
            "  div init --source dynamodb --region eu-west-1 --config ~/.division/dynamo.yaml",
            "  div init --source dynamodb --endpoint http://127.0.0.1:8000 --table-prefix dev")
        .option(
            "--source",
            "sqlite|dynamodb",
            "Where resources are stored (default: ${DEFAULT-VALUE}).",
            Source.class,
            v -> source = v)
        .defaultValue("sqlite")
        .option(
            "--region",
            "REGION",
            "DynamoDB: the AWS region (default: $AWS_REGION, then $AWS_DEFAULT_REGION).",
            v -> region = v)
        .option(
            "--table-prefix",
            "PREFIX",
            "DynamoDB: the first part of every table name (default: div).",
            v -> tablePrefix = v)
        .option(
            "--endpoint",
            "URL",
            "DynamoDB: an endpoint override, e.g. DynamoDB Local at http://127.0.0.1:8000.",
            v -> endpoint = v)
        .option(
            "--profile",
            "PROFILE",
            "DynamoDB: the AWS profile for credentials (and region, if it names one).",
            v -> profile = v)
        .flag("--force", "Overwrite an existing file.", v -> force = v);
  }

  @Override
  public Integer call() throws IOException {
    Path file = div().config != null ? div().config : Path.of(DivConfig.FILE_NAME);
    String url = source == Source.sqlite ? sqlite() : dynamodb();
    String text =
        "# Division configuration: see README.md.\n"
            + "metadata:\n  name: dynamic\nspec:\n"
            + "  # "
            + (source == Source.sqlite
                ? "The embedded store, relative to this file's folder."
                : "DynamoDB: dynamodb://[TABLE_PREFIX][?region=R&endpoint=URL&profile=P].")
            + "\n"
            + "  source: \""
            + url
            + "\"\n";
    try {
      if (file.toAbsolutePath().getParent() != null)
        Files.createDirectories(file.toAbsolutePath().getParent());
      if (force) {
        Files.writeString(file, text);
      } else {
        Files.writeString(file, text, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      }
    } catch (FileAlreadyExistsException e) {
      throw new CliException(ExitCodes.ERROR, file + " already exists (use --force to overwrite)");
    }
    out().println("wrote " + file + " (source: " + url + ")");
    return ExitCodes.OK;
  }

  private String sqlite() {
    if (region != null || tablePrefix != null || endpoint != null || profile != null)
      throw new CliException(
          ExitCodes.USAGE,
          "--region, --table-prefix, --endpoint and --profile need --source dynamodb");
    return "sqlite:division.db";
  }

  /** A URL that works on first use, or an error saying what is missing; checked by parsing it. */
  private String dynamodb() {
    String r = region;
    if (r == null) r = firstSet("AWS_REGION", "AWS_DEFAULT_REGION");
    if (r == null && profile == null && endpoint == null)
      throw new CliException(
          ExitCodes.USAGE,
          "DynamoDB needs a region: give --region R (e.g. us-east-1), set AWS_REGION, or --profile P");
    StringBuilder url = new StringBuilder("dynamodb://");
    url.append(tablePrefix == null ? DynamoTables.DEFAULT_PREFIX : tablePrefix);
    String sep = "?";
    if (r != null) {
      url.append(sep).append("region=").append(encode(r));
      sep = "&";
    }
    if (endpoint != null) {
      url.append(sep).append("endpoint=").append(endpoint);
      sep = "&";
    }
    if (profile != null) url.append(sep).append("profile=").append(encode(profile));
    DynamoSettings.parse(url.toString()); // names what is wrong before anything is written
    return url.toString();
  }

  private String firstSet(String... names) {
    for (String n : names) {
      String v = div().env.get(n);
      if (v != null && !v.isBlank()) return v;
    }
    return null;
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
