package io.division.gateway;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The gateway's own install metrics, kept in memory and written in Prometheus' text format (version
 * 0.0.4): install transitions by kind, install durations as a histogram, and the lag between a
 * Deployment's write and this gateway acting on it. Counters only grow while the process lives;
 * Prometheus handles the reset on restart.
 */
public final class GatewayMetrics {
  /** What happened to an install attempt, as the gateway logs it. */
  public enum Transition {
    CLAIMED,
    STARTED,
    SUCCEEDED,
    FAILED,
    RETRIED;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Upper bounds of the duration buckets, in seconds: deploys take seconds to tens of minutes. */
  static final double[] BUCKETS = {5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600};

  private final Map<Transition, LongAdder> transitions = new EnumMap<>(Transition.class);
  private final Map<Transition, Histogram> durations = new EnumMap<>(Transition.class);
  private final AtomicLong watchLagMillis = new AtomicLong(-1);

  public GatewayMetrics() {
    for (Transition t : Transition.values()) transitions.put(t, new LongAdder());
    durations.put(Transition.SUCCEEDED, new Histogram());
    durations.put(Transition.FAILED, new Histogram());
  }

  public void transition(Transition t) {
    transitions.get(t).increment();
  }

  /** An attempt that ended, with how long it ran. */
  public void finished(boolean succeeded, Duration ran) {
    Transition t = succeeded ? Transition.SUCCEEDED : Transition.FAILED;
    transitions.get(t).increment();
    durations.get(t).observe(Math.max(0, ran.toMillis()) / 1000.0);
  }

  /** How long after a Deployment was written the gateway acted on it (the last one seen). */
  public void watchLag(Duration lag) {
    watchLagMillis.set(Math.max(0, lag.toMillis()));
  }

  public long count(Transition t) {
    return transitions.get(t).sum();
  }

  /** The series, with HELP and TYPE lines, ready to append to the daemon's own. */
  public void write(StringBuilder out) {
    out.append("# HELP division_gateway_installs_total Install transitions by kind.\n");
    out.append("# TYPE division_gateway_installs_total counter\n");
    for (Transition t : Transition.values())
      out.append("division_gateway_installs_total{transition=\"")
          .append(t.label())
          .append("\"} ")
          .append(transitions.get(t).sum())
          .append('\n');
    out.append(
        "# HELP division_gateway_install_duration_seconds How long finished install attempts ran.\n");
    out.append("# TYPE division_gateway_install_duration_seconds histogram\n");
    durations.forEach((t, h) -> h.write(out, t.label()));
    out.append(
        "# HELP division_gateway_watch_lag_seconds From a Deployment's write to this gateway acting"
            + " on it (the last one; -1 before any).\n");
    out.append("# TYPE division_gateway_watch_lag_seconds gauge\n");
    long lag = watchLagMillis.get();
    out.append("division_gateway_watch_lag_seconds ")
        .append(lag < 0 ? "-1" : Double.toString(lag / 1000.0))
        .append('\n');
  }

  private static final class Histogram {
    private final long[] counts = new long[BUCKETS.length];
    private long count;
    private double sum;

    synchronized void observe(double seconds) {
      for (int i = 0; i < BUCKETS.length; i++) if (seconds <= BUCKETS[i]) counts[i]++;
      count++;
      sum += seconds;
    }

    synchronized void write(StringBuilder out, String outcome) {
      String name = "division_gateway_install_duration_seconds";
      for (int i = 0; i < BUCKETS.length; i++)
        out.append(name)
            .append("_bucket{outcome=\"")
            .append(outcome)
            .append("\",le=\"")
            .append(le(BUCKETS[i]))
            .append("\"} ")
            .append(counts[i])
            .append('\n');
      out.append(name)
          .append("_bucket{outcome=\"")
          .append(outcome)
          .append("\",le=\"+Inf\"} ")
          .append(count)
          .append('\n');
      out.append(name).append("_sum{outcome=\"").append(outcome).append("\"} ").append(sum);
      out.append('\n');
      out.append(name).append("_count{outcome=\"").append(outcome).append("\"} ").append(count);
      out.append('\n');
    }

    private static String le(double bound) {
      return bound == Math.rint(bound) ? Long.toString((long) bound) : Double.toString(bound);
    }
  }
}
