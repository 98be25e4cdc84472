package io.division.cli;

import io.division.core.config.DivConfig;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "init", description = "Write a div.yaml for the embedded store or DynamoDB.")
final class InitCommand extends DivSubcommand implements Callable<Integer> {
  enum Source {
    sqlite,
    dynamodb
  }

  @Option(
      names = "--source",
      defaultValue = "sqlite",
      paramLabel = "sqlite|dynamodb",
      description = "Where resources are stored (default: ${DEFAULT-VALUE}).")
  Source source;

  @Option(names = "--force", description = "Overwrite an existing file.")
  boolean force;

  @Override
  public Integer call() throws IOException {
    Path file = div().config != null ? div().config : Path.of(DivConfig.FILE_NAME);
    String url = source == Source.sqlite ? "sqlite:division.db" : "dynamodb://";
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
}
