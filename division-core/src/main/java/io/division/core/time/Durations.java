package io.division.core.time;

import io.division.core.DivisionException;
import java.time.Duration;

/**
 * Go and kubectl style durations: {@code 500ms}, {@code 10s}, {@code 1h30m}, {@code 1.5h}.
 *
 * <p>Parsed by hand, in integer nanoseconds as Go does (a fraction below a nanosecond is dropped):
 * a CLI parses one or two durations per call, and a regular expression with BigDecimal arithmetic
 * cost 15-20 ms of a cold JVM's time to do it.
 */
public final class Durations {
  /** Longest first where one is the start of another ("ms" before "m"). */
  private static final String[] UNITS = {"ns", "us", "\u00b5s", "ms", "s", "m", "h"};

  private Durations() {}

  public static Duration parse(String text) {
    if (text == null || text.isBlank()) throw invalid(text, "empty");
    String t = text.trim();
    if (t.equals("0")) return Duration.ZERO;
    long nanos = 0;
    int at = 0;
    try {
      while (at < t.length()) {
        int wholeEnd = digitsEnd(t, at);
        int numberEnd = wholeEnd;
        if (wholeEnd < t.length() && t.charAt(wholeEnd) == '.') {
          numberEnd = digitsEnd(t, wholeEnd + 1);
          if (numberEnd == wholeEnd + 1) numberEnd = -1; // "1." has no fraction
        }
        String unit = wholeEnd == at || numberEnd < 0 ? null : unitAt(t, numberEnd);
        if (unit == null) throw invalid(text, unexpected(t, at));
        long unitNanos = unitNanos(unit);
        nanos =
            Math.addExact(
                nanos, Math.multiplyExact(Long.parseLong(t, at, wholeEnd, 10), unitNanos));
        long scale = unitNanos;
        for (int i = wholeEnd + 1; i < numberEnd; i++) {
          scale /= 10;
          nanos = Math.addExact(nanos, (t.charAt(i) - '0') * scale);
        }
        at = numberEnd + unit.length();
      }
    } catch (ArithmeticException | NumberFormatException e) {
      throw invalid(text, "too long (at most about 292 years)");
    }
    return Duration.ofNanos(nanos);
  }

  private static int digitsEnd(String t, int from) {
    int i = from;
    while (i < t.length() && t.charAt(i) >= '0' && t.charAt(i) <= '9') i++;
    return i;
  }

  /** The unit starting at {@code at}; null if none. */
  private static String unitAt(String t, int at) {
    for (String unit : UNITS) if (t.startsWith(unit, at)) return unit;
    return null;
  }

  private static String unexpected(String t, int at) {
    return digitsEnd(t, 0) == t.length()
        ? "a unit is required, e.g. 10s, 5m, 1h30m"
        : "expected a number and a unit (ms, s, m, h) at \"" + t.substring(at) + "\"";
  }

  private static long unitNanos(String unit) {
    return switch (unit) {
      case "ns" -> 1L;
      case "us", "\u00b5s" -> 1_000L;
      case "ms" -> 1_000_000L;
      case "s" -> 1_000_000_000L;
      case "m" -> 60_000_000_000L;
      default -> 3_600_000_000_000L;
    };
  }

  private static DivisionException invalid(String text, String why) {
    return DivisionException.invalid("invalid duration \"" + text + "\": " + why);
  }

  /** The shortest Go-style form: {@code 1h30m}, {@code 10s}, {@code 500ms}. */
  public static String format(Duration d) {
    if (d.isZero()) return "0s";
    long totalMillis = d.toMillis();
    if (totalMillis < 1000) return totalMillis + "ms";
    StringBuilder sb = new StringBuilder();
    long h = d.toHours();
    long m = d.toMinutesPart();
    long s = d.toSecondsPart();
    long ms = d.toMillisPart();
    if (h > 0) sb.append(h).append('h');
    if (m > 0) sb.append(m).append('m');
    if (s > 0 || ms > 0) {
      sb.append(s);
      if (ms > 0) sb.append('.').append(String.format("%03d", ms).replaceAll("0+$", ""));
      sb.append('s');
    }
    return sb.toString();
  }
}
