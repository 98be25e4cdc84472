package io.division.cli;

import java.io.PrintStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where a call's start-up goes, for whoever tunes it: with {@code DIV_TRACE_STARTUP=1} the launcher
 * records when it started and when it handed over to Java, the CLI marks its phases, and at exit
 * one line per phase goes to stderr, in milliseconds since the launcher started. Off, a mark is one
 * test of a constant, so the marks stay in the code.
 */
final class StartupTrace {
  static final boolean ON = System.getenv("DIV_TRACE_STARTUP") != null;

  private static final List<String> names = ON ? new ArrayList<>() : null;
  private static final List<Long> nanos = ON ? new ArrayList<>() : null;

  private StartupTrace() {}

  static void mark(String phase) {
    if (!ON) return;
    synchronized (StartupTrace.class) { // the store's warm-up marks from its own thread
      nanos.add(System.nanoTime());
      names.add(phase);
    }
  }

  /** Prints the marks; the clocks are read here so that nothing is loaded for them earlier. */
  static synchronized void report(PrintStream err) {
    if (!ON) return;
    long nowNanos = System.nanoTime();
    Instant now = Instant.now();
    double launcherStart = epochMicros(System.getenv("DIV_TRACE_T0"));
    double handover = epochMicros(System.getenv("DIV_TRACE_EXEC"));
    double nowMicros = ChronoUnit.MICROS.between(Instant.EPOCH, now);
    // Run without the launcher, the first mark is the origin.
    double first = nowMicros - (nowNanos - nanos.get(0)) / 1000.0;
    double origin = Double.isNaN(launcherStart) ? first : launcherStart;
    err.println("div start-up trace, ms since the launcher started (DIV_TRACE_STARTUP):");
    if (!Double.isNaN(handover)) line(err, "launcher done, exec java", (handover - origin) / 1000);
    for (int i = 0; i < names.size(); i++) {
      double micros = nowMicros - (nowNanos - nanos.get(i)) / 1000.0;
      line(err, names.get(i), (micros - origin) / 1000);
    }
  }

  private static void line(PrintStream err, String phase, double ms) {
    err.printf(Locale.ROOT, "  %8.1f  %s%n", ms, phase);
  }

  /** bash's $EPOCHREALTIME: seconds with six decimals (the separator follows the locale). */
  private static double epochMicros(String value) {
    if (value == null || value.isBlank()) return Double.NaN;
    try {
      return Double.parseDouble(value.replace(',', '.')) * 1_000_000;
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }
}
