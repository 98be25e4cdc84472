package io.division.core.deploy;

/** Install phases, as Kubernetes names pod phases. */
public final class Phases {
  public static final String PENDING = "Pending";
  public static final String RUNNING = "Running";
  public static final String SUCCEEDED = "Succeeded";
  public static final String FAILED = "Failed";

  /** What a Release reports for a request whose ref was already installed. */
  public static final String ALREADY_SUCCEEDED = "AlreadySucceeded";

  private Phases() {}

  public static boolean terminal(String phase) {
    return SUCCEEDED.equals(phase) || FAILED.equals(phase);
  }
}
