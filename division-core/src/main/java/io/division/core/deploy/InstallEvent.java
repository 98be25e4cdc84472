package io.division.core.deploy;

import io.division.core.model.ResourceKey;
import io.division.core.time.Durations;
import java.time.Duration;
import java.util.Objects;

/**
 * One transition of an install attempt, as the reconciler makes it: claimed by this gateway,
 * started by the executor, succeeded, failed (with the reason), or retried as a new attempt (with
 * the reason). The gateway logs each as one line and counts them in its metrics.
 *
 * @param ran how long the attempt ran, for SUCCEEDED and FAILED once it had started; else null
 */
public record InstallEvent(
    Kind kind, ResourceKey install, String ref, int attempt, String message, Duration ran) {
  public enum Kind {
    CLAIMED,
    STARTED,
    SUCCEEDED,
    FAILED,
    RETRIED
  }

  /** Receives the transitions and how late Deployments are seen; called on the reconcile thread. */
  public interface Listener {
    Listener NONE = new Listener() {};

    default void installEvent(InstallEvent event) {}

    /** A Deployment request seen for the first time, {@code lag} after it was written. */
    default void deploymentSeen(ResourceKey deployment, Duration lag) {}
  }

  public InstallEvent {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(install, "install");
  }

  /** The log line: {@code install NS/NAME attempt N of REF: failed after 12s: why}. */
  public String describe() {
    StringBuilder s =
        new StringBuilder("install ")
            .append(install.namespace())
            .append('/')
            .append(install.name())
            .append(" attempt ")
            .append(attempt);
    if (ref != null) s.append(" of ").append(ref);
    s.append(": ").append(kind.name().toLowerCase(java.util.Locale.ROOT));
    if (ran != null) s.append(" after ").append(Durations.format(ran));
    if (message != null && !message.isBlank())
      s.append(": ").append(io.division.core.model.Messages.oneLine(message));
    return s.toString();
  }
}
