package io.division.core.deploy;

import java.util.List;

/** The outcome of {@code div deploy}: one row per application and cluster. */
public record DeployResult(Status status, List<Target> targets) {
  public enum Status {
    SUCCEEDED,
    FAILED,
    TIMED_OUT,
    SUBMITTED
  }

  /** One application on one cluster: what happened, at which attempt, and why. */
  public record Target(
      String cluster,
      String app,
      String ref,
      String install,
      int attempt,
      String phase,
      String message) {}

  /** The summary table {@code div deploy} ends with. */
  public String table() {
    String[] header = {"CLUSTER", "APP", "REF", "INSTALL", "ATTEMPT", "PHASE", "MESSAGE"};
    List<String[]> rows = new java.util.ArrayList<>();
    rows.add(header);
    for (Target t : targets) {
      rows.add(
          new String[] {
            t.cluster(),
            t.app(),
            t.ref(),
            t.install() == null ? "<none>" : t.install(),
            t.attempt() == 0 ? "-" : Integer.toString(t.attempt()),
            t.phase(),
            t.message() == null ? "" : t.message()
          });
    }
    int[] widths = new int[header.length];
    for (String[] r : rows)
      for (int i = 0; i < r.length; i++) widths[i] = Math.max(widths[i], r[i].length());
    StringBuilder sb = new StringBuilder();
    for (String[] r : rows) {
      for (int i = 0; i < r.length; i++) {
        sb.append(r[i]);
        if (i < r.length - 1) sb.append(" ".repeat(widths[i] - r[i].length() + 3));
      }
      sb.append('\n');
    }
    return sb.toString().replaceAll(" +\n", "\n");
  }
}
