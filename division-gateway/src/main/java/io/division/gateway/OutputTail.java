package io.division.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;

/**
 * Copies the lines a supervised command appends to its {@code output} file into the install's log,
 * from where the last gateway left off: the position is kept in the attempt's {@code forwarded}
 * file. It is saved one pump late, once the lines before it have surely left the log batcher, so a
 * gateway killed at any moment makes its successor repeat a few lines at worst, never skip any.
 */
final class OutputTail {
  private static final int CHUNK = 64 * 1024;

  private final Path output;
  private final Path position;
  private final Consumer<String> log;
  private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
  private long offset; // bytes of output read so far
  private long lineStart; // offset of the first byte of the partial line
  private long unsaved = -1; // the position to save on the next pump
  private long saved = -1;

  OutputTail(Path attemptDir, Consumer<String> log) {
    this.output = attemptDir.resolve("output");
    this.position = attemptDir.resolve("forwarded");
    this.log = log;
    try {
      offset = Long.parseLong(Files.readString(position).trim());
    } catch (IOException | NumberFormatException e) {
      offset = 0;
    }
    lineStart = offset;
  }

  /** Forwards the complete lines written since the last pump, and when {@code last} the rest. */
  void pump(boolean last) {
    if (unsaved >= 0) save(unsaved);
    try (FileChannel ch = FileChannel.open(output, StandardOpenOption.READ)) {
      ByteBuffer buf = ByteBuffer.allocate(CHUNK);
      ch.position(offset);
      int n;
      while ((n = ch.read(buf)) > 0) {
        buf.flip();
        for (int i = 0; i < n; i++) {
          byte b = buf.get();
          offset++;
          if (b == '\n') {
            log.accept(partial.toString(StandardCharsets.UTF_8));
            partial.reset();
            lineStart = offset;
          } else {
            partial.write(b);
          }
        }
        buf.clear();
      }
    } catch (IOException e) {
      return; // not there yet
    }
    if (last && partial.size() > 0) {
      log.accept(partial.toString(StandardCharsets.UTF_8));
      partial.reset();
      lineStart = offset;
    }
    unsaved = lineStart;
    if (last) save(lineStart);
  }

  private void save(long at) {
    if (at == saved) return;
    saved = at;
    try {
      Path tmp = position.resolveSibling("forwarded.tmp");
      Files.writeString(tmp, Long.toString(at));
      Files.move(
          tmp, position, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      // a successor repeats a few lines
    }
  }
}
