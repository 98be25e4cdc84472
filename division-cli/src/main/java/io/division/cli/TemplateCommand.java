package io.division.cli;

import io.division.core.template.NdjsonTemplate;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

final class TemplateCommand extends DivSubcommand implements Callable<Integer> {
  Path templateFile;
  String pipeTo;

  @Override
  CommandModel declare() {
    return command("template", "Render a Mustache template once per NDJSON line from stdin.")
        .footer(
            "",
            "Without --pipe-to, renders go to stdout separated by '---'. With it, each render is the stdin",
            "of one run of the command, split into arguments like a shell would but never run by one.",
            "",
            "Examples:",
            "  echo '{\"name\":\"a1\"}' | div template -f approval.yaml.tpl",
            "  cat approvals.ndjson | div template -f approval.yaml.tpl --pipe-to \"div apply -f -\"")
        .option(
            "-f, --filename",
            "TEMPLATE",
            "The Mustache template file.",
            Path.class,
            v -> templateFile = v)
        .required()
        .option(
            "--pipe-to",
            "COMMAND",
            "Run COMMAND once per input line with the render on its stdin.",
            v -> pipeTo = v);
  }

  @Override
  public Integer call() throws IOException, InterruptedException {
    String text;
    try {
      text = Files.readString(templateFile);
    } catch (NoSuchFileException e) {
      throw new CliException(ExitCodes.ERROR, templateFile + ": no such file");
    }
    NdjsonTemplate template = NdjsonTemplate.compile(templateFile.toString(), text);
    List<String> command = pipeTo == null ? null : CommandWords.split(pipeTo);
    if (command != null && command.isEmpty())
      throw new CliException(ExitCodes.USAGE, "--pipe-to needs a command");
    if (command != null && command.get(0).equals("div") && div().env.get("DIV_SELF") != null) {
      // ./div need not be on PATH: "div" means this very launcher.
      command.set(0, div().env.get("DIV_SELF"));
    }
    // Every line is parsed and rendered before anything is written or run: bad input writes
    // nothing.
    BufferedReader reader =
        new BufferedReader(new InputStreamReader(div().in, StandardCharsets.UTF_8));
    List<String> renders = new ArrayList<>();
    List<Integer> lineNumbers = new ArrayList<>();
    String line;
    int number = 0;
    while ((line = reader.readLine()) != null) {
      number++;
      if (line.isBlank()) continue;
      renders.add(template.render(line, number));
      lineNumbers.add(number);
    }
    for (int i = 0; i < renders.size(); i++) {
      String rendered = renders.get(i);
      if (command == null) {
        if (i > 0) out().println("---");
        out().print(rendered.endsWith("\n") ? rendered : rendered + "\n");
      } else {
        int code = run(command, rendered);
        if (code != 0) {
          throw new CliException(
              ExitCodes.ERROR,
              "input line "
                  + lineNumbers.get(i)
                  + ": "
                  + String.join(" ", command)
                  + " exited with "
                  + code);
        }
      }
    }
    out().flush();
    return ExitCodes.OK;
  }

  private int run(List<String> command, String input) throws IOException, InterruptedException {
    Process p;
    try {
      p = new ProcessBuilder(command).start();
    } catch (IOException e) {
      throw new CliException(
          ExitCodes.ERROR, "cannot run " + command.get(0) + ": " + e.getMessage());
    }
    Thread stdout = pump(p.getInputStream(), out());
    Thread stderr = pump(p.getErrorStream(), err());
    try (OutputStream stdin = p.getOutputStream()) {
      stdin.write(input.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      // The command ended without reading all of its input: its exit code tells what happened.
    }
    int code = p.waitFor();
    stdout.join();
    stderr.join();
    return code;
  }

  private static Thread pump(InputStream from, PrintStream to) {
    Thread t =
        new Thread(
            () -> {
              try {
                from.transferTo(to);
                to.flush();
              } catch (IOException e) {
                // the child closed its stream: nothing more to copy
              }
            });
    t.start();
    return t;
  }

  /** Splits a command line into words with shell-like quoting, so no shell ever interprets it. */
  static final class CommandWords {
    private CommandWords() {}

    static List<String> split(String text) {
      List<String> words = new ArrayList<>();
      StringBuilder word = new StringBuilder();
      boolean inWord = false;
      char quote = 0;
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (quote != 0) {
          if (c == quote) quote = 0;
          else if (c == '\\' && quote == '"' && i + 1 < text.length())
            word.append(text.charAt(++i));
          else word.append(c);
        } else if (c == '\'' || c == '"') {
          quote = c;
          inWord = true;
        } else if (c == '\\' && i + 1 < text.length()) {
          word.append(text.charAt(++i));
          inWord = true;
        } else if (Character.isWhitespace(c)) {
          if (inWord) words.add(word.toString());
          word.setLength(0);
          inWord = false;
        } else {
          word.append(c);
          inWord = true;
        }
      }
      if (quote != 0)
        throw new CliException(
            ExitCodes.USAGE, "--pipe-to: unterminated quote in \"" + text + "\"");
      if (inWord) words.add(word.toString());
      return words;
    }
  }
}
