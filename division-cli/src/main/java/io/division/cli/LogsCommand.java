package io.division.cli;

import io.division.core.DivisionException;
import io.division.core.logs.LogBatcher;
import io.division.core.logs.LogCopier;
import io.division.core.logs.LogFollower;
import io.division.core.model.ResourceKey;
import io.division.core.store.LogLine;
import io.division.core.store.Store;
import io.division.core.time.Durations;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

final class LogsCommand extends DivSubcommand implements Runnable {
  @Override
  CommandModel declare() {
    return command("logs", "Write or read the log stream of a resource.")
        .subcommand(new LogsCommand.Write())
        .subcommand(new LogsCommand.Read());
  }

  @Override
  public void run() {
    throw new CliException(ExitCodes.USAGE, "use 'div logs write' or 'div logs read'");
  }

  static final class Write extends DivSubcommand implements Callable<Integer> {
    String kind;
    String name;
    String file;

    @Override
    CommandModel declare() {
      return command("write", "Append lines from a file or stdin to a resource's log.")
          .footer(
              "",
              "From a pipe, lines are written as they arrive (in batches), so readers can follow them.",
              "",
              "Examples:",
              "  div logs write install myapp -f deploy.log",
              "  ./deploy.sh 2>&1 | div logs write install myapp -f -")
          .positional("0", "KIND", v -> kind = v)
          .positional("1", "NAME", v -> name = v)
          .arity("0..1")
          .option("-f, --filename", "FILE", "File to read, or - for stdin.", v -> file = v)
          .required();
    }

    /**
     * After Ctrl-C or SIGTERM, how long reading what already reached the input may take. CI systems
     * follow SIGTERM with SIGKILL after ~10 s or more; this leaves room to store it.
     */
    private static final Duration DRAIN_LIMIT = Duration.ofSeconds(5);

    @Override
    public Integer call() throws InterruptedException {
      // First of all: a signal from here on ends the copy only after what was sent is stored.
      Interrupts.install();
      Store store = division().store();
      ResourceKey key = KindAndName.resolve(division(), namespace(), kind, name);
      store.get(key); // fail before reading any input if the resource is missing
      InputStream in;
      if (file.equals("-")) {
        // System.in is buffered and its available() waits for a blocked read; the descriptor
        // itself answers at once, which the drain after a signal relies on.
        in = div().in == System.in ? new FileInputStream(FileDescriptor.in) : div().in;
      } else {
        Path path = Path.of(file);
        if (Files.isDirectory(path))
          throw new CliException(ExitCodes.ERROR, file + ": is a directory");
        try {
          in = Files.newInputStream(path);
        } catch (NoSuchFileException e) {
          throw new CliException(ExitCodes.ERROR, file + ": no such file");
        } catch (IOException e) {
          throw new CliException(ExitCodes.ERROR, "cannot read " + file + ": " + e.getMessage());
        }
      }
      String what = key.kind().toLowerCase(Locale.ROOT) + "/" + key.name();
      LogBatcher batcher = LogBatcher.forStore(store, key);
      LogCopier.Outcome outcome;
      try {
        LogCopier copier = LogCopier.start(in, batcher);
        Interrupts.onSignal(copier::requestStop);
        outcome = copier.await(DRAIN_LIMIT);
        batcher.close();
      } catch (DivisionException | UncheckedIOException e) {
        throw new CliException(
            ExitCodes.ERROR,
            e.getMessage() + " (" + batcher.written() + " lines written to " + what + ")");
      } finally {
        if (in != div().in) closeQuietly(in);
      }
      // Ctrl-C also ends the producer: its end of input may come a moment before the signal does.
      if (!outcome.stopped() && !Interrupts.requested()) return ExitCodes.OK;
      if (outcome.complete()) {
        err().println("interrupted: " + outcome.linesRead() + " lines written to " + what);
      } else {
        err()
            .println(
                "error: interrupted before all input was read: "
                    + batcher.written()
                    + " lines written to "
                    + what
                    + "; input still arriving was not read");
      }
      return Interrupts.exitCode();
    }

    private static void closeQuietly(InputStream in) {
      try {
        in.close();
      } catch (IOException e) {
        // read to the end or abandoned: nothing is lost by a failed close
      }
    }
  }

  static final class Read extends DivSubcommand implements Callable<Integer> {
    String kind;
    String name;
    boolean follow;
    String since;
    int tail;
    boolean timestamps;

    @Override
    CommandModel declare() {
      return command("read", "Print a resource's log, optionally following it.")
          .footer(
              "",
              "Examples:",
              "  div logs read install myapp",
              "  div logs read install myapp -f --since 10m",
              "  div logs read approval a1 --tail 20 --timestamps")
          .positional("0", "KIND", v -> kind = v)
          .positional("1", "NAME", v -> name = v)
          .arity("0..1")
          .flag(
              "-f, --follow",
              "Keep printing new lines until Ctrl-C or the resource is deleted.",
              v -> follow = v)
          .option(
              "--since", "DURATION", "Only lines newer than this, e.g. 10m, 1h30m.", v -> since = v)
          .option(
              "--tail",
              "N",
              "Only the last N existing lines (default: all).",
              Integer.class,
              v -> tail = v)
          .defaultValue("-1")
          .flag("--timestamps", "Prefix each line with its RFC 3339 time.", v -> timestamps = v);
    }

    @Override
    public Integer call() throws InterruptedException {
      Instant from = since == null ? null : Instant.now().minus(Durations.parse(since));
      Store store = division().store();
      ResourceKey key = KindAndName.resolve(division(), namespace(), kind, name);
      store.get(key);
      LogFollower follower = new LogFollower(store, key);
      PrintStream out = out();
      Consumer<LogLine> print =
          line -> out.println(timestamps ? line.time() + " " + line.text() : line.text());
      follower.readExisting(tail, from, print);
      out.flush();
      if (follow) {
        Interrupts.install();
        follower.followWhilePresent(
            line -> {
              print.accept(line);
              out.flush();
            },
            Interrupts::requested,
            Duration.ofMillis(250),
            Duration.ofSeconds(1),
            Clock.systemUTC());
      }
      return ExitCodes.OK;
    }
  }
}
