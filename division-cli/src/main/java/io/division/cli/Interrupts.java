package io.division.cli;

/**
 * Ctrl-C ends a watch or a follow cleanly: kubectl users expect exit 0, not the JVM's 130. The
 * handler only raises a flag; the loops that block check it between short polls.
 */
final class Interrupts {
  private static volatile boolean requested;
  private static boolean installed;

  private Interrupts() {}

  static synchronized void install() {
    if (installed) return;
    installed = true;
    try {
      sun.misc.Signal.handle(new sun.misc.Signal("INT"), s -> requested = true);
      sun.misc.Signal.handle(new sun.misc.Signal("TERM"), s -> requested = true);
    } catch (IllegalArgumentException e) {
      // The platform does not let us handle these signals: the JVM's default applies.
    }
  }

  static boolean requested() {
    return requested;
  }
}
