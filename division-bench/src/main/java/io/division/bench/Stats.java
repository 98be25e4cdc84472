package io.division.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Percentiles of a sample, in milliseconds (nearest-rank). */
record Stats(int n, double p50, double p90, double p99, double max) {
  static Stats ofNanos(List<Long> nanos) {
    long[] a = nanos.stream().mapToLong(Long::longValue).toArray();
    Arrays.sort(a);
    if (a.length == 0) return new Stats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    return new Stats(a.length, ms(a, 0.50), ms(a, 0.90), ms(a, 0.99), a[a.length - 1] / 1e6);
  }

  private static double ms(long[] sorted, double q) {
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6;
  }

  String row() {
    return String.format(Locale.ROOT, "%.3f | %.3f | %.3f | %.3f | %d", p50, p90, p99, max, n);
  }
}
