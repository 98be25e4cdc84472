package io.division.core.deploy;

/**
 * What a reconcile pass needs of its cluster's lease: whose it is, and whether that holder may
 * still act now. The gateway's implementation answers {@link #held()} from its own clock (the time
 * of its last successful renewal plus the lease's duration, less a margin), so a gateway that was
 * paused past its lease stops before it writes, without asking the store.
 */
public interface Lease {
  /** The id of this gateway process, recorded on the Installs it runs. */
  String holder();

  /** True while this gateway holds the lease and may start work and write status. */
  boolean held();

  /**
   * The lease's generation when this gateway last held it: it grows each time the lease changes
   * hands. A holder that finds it unchanged after a lapse (a slow pass, a short pause) knows no
   * other gateway held the lease meanwhile, so the attempts it follows are still its own.
   */
  long generation();
}
