package io.division.core.logs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Copies text lines from an input stream into a {@link LogBatcher}, and can be stopped (Ctrl-C,
 * SIGTERM) without losing what was already sent: every byte that reached the input before the stop
 * is read and stored, including a last line without its newline.
 *
 * <p>A blocking read cannot be cancelled, so the reading happens on its own daemon thread and the
 * caller waits in {@link #await}. After {@link #requestStop} the copier keeps reading until the
 * reader is blocked on an input that has nothing more to give ({@code available() == 0}) or the
 * input ends, bounded by a drain limit for a producer that never pauses. Lines are split as {@link
 * java.io.BufferedReader#readLine} does (LF, CR LF or CR) and decoded as UTF-8.
 *
 * <p>The input's {@code available()} must not block while another thread reads: pass a {@code
 * FileInputStream} for stdin, not {@code System.in} (a {@code BufferedInputStream} that serialises
 * the two).
 */
public final class LogCopier {
  /**
   * After the reader looks idle, how long to wait for a read that has just returned to show itself:
   * the kernel may hand bytes over a moment before the reader gets to count them.
   */
  private static final Duration SETTLE = Duration.ofMillis(50);

  /** How a copy ended. */
  public record Outcome(long linesRead, boolean endOfInput, boolean stopped, boolean drained) {
    /** Whether every line that reached the input was read (input ended, or drained on stop). */
    public boolean complete() {
      return endOfInput || drained;
    }
  }

  private final InputStream in;
  private final LogBatcher batcher;
  private final Object lock = new Object();
  private final LineSplitter splitter = new LineSplitter();
  private final Thread reader;
  private boolean reading;
  private long readsReturned;
  private boolean endOfInput;
  private boolean stopRequested;
  private boolean hurry;
  private boolean abandoned;
  private boolean handingOver;
  private long linesRead;
  private RuntimeException failure;

  private LogCopier(InputStream in, LogBatcher batcher) {
    this.in = in;
    this.batcher = batcher;
    this.reader = new Thread(this::readLoop, "division-log-reader");
    this.reader.setDaemon(true);
  }

  /** Starts copying {@code in} into {@code batcher} on a reader thread. */
  public static LogCopier start(InputStream in, LogBatcher batcher) {
    LogCopier copier = new LogCopier(in, batcher);
    copier.reader.start();
    return copier;
  }

  /**
   * Asks the copy to end once what already reached the input is read; a second request ends the
   * draining too (a user pressing Ctrl-C twice means now). Safe from any thread.
   */
  public void requestStop() {
    synchronized (lock) {
      if (stopRequested) hurry = true;
      stopRequested = true;
      lock.notifyAll();
    }
  }

  /**
   * Waits until the input ends or a stop is requested, then (on a stop) reads what is already
   * readable, for at most {@code drainLimit}. Every line read has been handed to the batcher when
   * this returns; flushing or closing the batcher stores them. Throws the input's or the batcher's
   * error.
   */
  public Outcome await(Duration drainLimit) throws InterruptedException {
    synchronized (lock) {
      while (!endOfInput && failure == null && !stopRequested) lock.wait();
      if (failure != null) throw failure;
      if (endOfInput) return new Outcome(linesRead, true, stopRequested, true);
      long deadline = System.nanoTime() + drainLimit.toNanos();
      boolean drained = false;
      while (!endOfInput && failure == null) {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0 || hurry) break;
        if (reading && nothingAvailable()) {
          long returned = readsReturned;
          lock.wait(Math.max(1, Math.min(SETTLE.toMillis(), remaining / 1_000_000)));
          if (reading && readsReturned == returned && nothingAvailable()) {
            drained = true;
            break;
          }
        } else {
          lock.wait(Math.max(1, Math.min(SETTLE.toMillis(), remaining / 1_000_000)));
        }
      }
      abandoned = true;
      while (handingOver) lock.wait();
      if (failure != null) throw failure;
      if (endOfInput) return new Outcome(linesRead, true, true, true);
      if (drained) {
        // The reader waits for more input; a last line without its newline is complete as it is.
        String last = splitter.takePartial();
        if (last != null) {
          batcher.add(last);
          linesRead++;
        }
      }
      return new Outcome(linesRead, false, true, drained);
    }
  }

  private boolean nothingAvailable() {
    try {
      return in.available() == 0;
    } catch (IOException e) {
      return true; // a closed input has nothing more to give
    }
  }

  private void readLoop() {
    byte[] buffer = new byte[1 << 16];
    try {
      while (true) {
        synchronized (lock) {
          if (abandoned) return;
          reading = true;
          lock.notifyAll();
        }
        int n = in.read(buffer);
        List<String> lines = new ArrayList<>();
        synchronized (lock) {
          reading = false;
          readsReturned++;
          if (abandoned) return;
          if (n < 0) {
            String last = splitter.takePartial();
            if (last != null) lines.add(last);
          } else {
            splitter.accept(buffer, n, lines);
          }
          handingOver = true;
        }
        // Handed over outside the lock (the batcher may make a fast producer wait); an abandoning
        // caller waits for this chunk, so what it reports is all the batcher ever gets.
        try {
          for (String line : lines) batcher.add(line);
        } finally {
          synchronized (lock) {
            handingOver = false;
            linesRead += lines.size();
            if (n < 0) endOfInput = true;
            lock.notifyAll();
          }
        }
        if (n < 0) return;
      }
    } catch (IOException e) {
      fail(new UncheckedIOException("cannot read the input: " + e.getMessage(), e));
    } catch (RuntimeException e) {
      fail(e);
    }
  }

  private void fail(RuntimeException e) {
    synchronized (lock) {
      reading = false;
      failure = e;
      lock.notifyAll();
    }
  }

  /** Splits bytes into lines at LF, CR LF or CR, keeping the unfinished tail. */
  static final class LineSplitter {
    private byte[] partial = new byte[256];
    private int length;
    private boolean afterCr;
    private boolean hasPartial;

    void accept(byte[] bytes, int count, List<String> into) {
      for (int i = 0; i < count; i++) {
        byte b = bytes[i];
        if (afterCr) {
          afterCr = false;
          if (b == '\n') continue;
        }
        if (b == '\n' || b == '\r') {
          into.add(new String(partial, 0, length, StandardCharsets.UTF_8));
          length = 0;
          hasPartial = false;
          afterCr = b == '\r';
        } else {
          if (length == partial.length) partial = Arrays.copyOf(partial, length * 2);
          partial[length++] = b;
          hasPartial = true;
        }
      }
    }

    /** The unfinished last line, or null if the input ended at a line break. */
    String takePartial() {
      if (!hasPartial) return null;
      String s = new String(partial, 0, length, StandardCharsets.UTF_8);
      length = 0;
      hasPartial = false;
      return s;
    }
  }
}
