package io.division.core.deploy;

import io.division.core.DivisionException;
import io.division.core.time.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What one {@link Deployer#advance} pass found: each target's progress, the log lines written since
 * the previous pass, the overall state, and the advanced submission to persist for the next pass.
 */
public record DeployProgress(
    DeploySubmission submission, List<TargetProgress> targets, List<Line> lines, State state) {

  public enum State {
    /** Some target has not ended and the deadline has not passed. */
    RUNNING,
    /** Every target succeeded. */
    SUCCEEDED,
    /** Every target ended and at least one failed (or was superseded by another deploy). */
    FAILED,
    /** The deadline passed before every target ended. */
    TIMED_OUT,
    /** The deploy was cancelled before the targets that did not succeed were started. */
    CANCELLED;

    public boolean ended() {
      return this != RUNNING;
    }
  }

  /** One application on one cluster: its phase, at which Install attempt, and why. */
  public record TargetProgress(
      String cluster,
      String app,
      String ref,
      String install,
      int attempt,
      String phase,
      String message,
      boolean done,
      boolean succeeded) {}

  /** A line for the user: a line of an install's log, or a word from the tracker itself. */
  public record Line(String cluster, String app, String text) {
    /** {@code [cluster app] text}, how {@code div deploy} prints it. */
    public String prefixed() {
      return "[" + cluster + " " + app + "] " + text;
    }
  }

  public DeployProgress {
    Objects.requireNonNull(submission, "submission");
    Objects.requireNonNull(state, "state");
    targets = List.copyOf(targets);
    lines = List.copyOf(lines);
  }

  /**
   * The error that ends a deploy which did not succeed (reason FAILED, TIMEOUT or CANCELLED), or
   * null while it runs and when it succeeded.
   */
  public DivisionException failure() {
    String ref = submission.ref();
    return switch (state) {
      case RUNNING, SUCCEEDED -> null;
      case FAILED ->
          new DivisionException(
              DivisionException.Reason.FAILED,
              "deploy of " + ref + " failed on " + String.join(", ", unsucceeded()),
              "deploy of " + ref);
      case TIMED_OUT ->
          new DivisionException(
              DivisionException.Reason.TIMEOUT,
              "deploy of " + ref + " timed out after " + Durations.format(timeout()),
              "deploy of " + ref);
      case CANCELLED ->
          new DivisionException(
              DivisionException.Reason.CANCELLED,
              "deploy of " + ref + " was cancelled",
              "deploy of " + ref);
    };
  }

  private Duration timeout() {
    return Duration.between(submission.submittedAt(), submission.deadline());
  }

  private List<String> unsucceeded() {
    List<String> out = new ArrayList<>();
    for (TargetProgress t : targets) if (!t.succeeded()) out.add(t.app() + " on " + t.cluster());
    return out;
  }

  /** One sentence on where the deploy stands, for a progress line. */
  public String describe() {
    long done = targets.stream().filter(TargetProgress::done).count();
    StringBuilder sb =
        new StringBuilder("deploy of ")
            .append(submission.ref())
            .append(": ")
            .append(done)
            .append(" of ")
            .append(targets.size())
            .append(" done");
    List<String> open = new ArrayList<>();
    for (TargetProgress t : targets) {
      if (t.done()) continue;
      open.add(
          t.app()
              + " on "
              + t.cluster()
              + " "
              + t.phase()
              + (t.message() == null ? "" : " (" + t.message() + ")"));
    }
    if (!open.isEmpty()) sb.append("; ").append(String.join("; ", open));
    return sb.toString();
  }

  /** The summary table {@code div deploy} ends with. */
  public String table() {
    String[] header = {"CLUSTER", "APP", "REF", "INSTALL", "ATTEMPT", "PHASE", "MESSAGE"};
    List<String[]> rows = new ArrayList<>();
    rows.add(header);
    for (TargetProgress t : targets) {
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
