package io.division.core.time;

import io.division.core.DivisionException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Go and kubectl style durations: {@code 500ms}, {@code 10s}, {@code 1h30m}, {@code 1.5h}. */
public final class Durations {
  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

  private Durations() {}

  public static Duration parse(String text) {
    if (text == null || text.isBlank()) throw invalid(text, "empty");
    String t = text.trim();
    if (t.equals("0")) return Duration.ZERO;
    Matcher m = PART.matcher(t);
    int at = 0;
    BigDecimal nanos = BigDecimal.ZERO;
    while (at < t.length()) {
      if (!m.find(at) || m.start() != at) {
        String why =
            t.chars().allMatch(Character::isDigit)
                ? "a unit is required, e.g. 10s, 5m, 1h30m"
                : "expected a number and a unit (ms, s, m, h) at \"" + t.substring(at) + "\"";
        throw invalid(text, why);
      }
      nanos =
          nanos.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unitNanos(m.group(2)))));
      at = m.end();
    }
    return Duration.ofNanos(nanos.longValueExact());
  }

  private static long unitNanos(String unit) {
    return switch (unit) {
      case "ns" -> 1L;
      case "us", "µs" -> 1_000L;
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
