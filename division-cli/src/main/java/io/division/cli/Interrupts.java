package io.division.cli;

import io.division.core.wait.CancelToken;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Ctrl-C (SIGINT) and SIGTERM, what CI systems send on cancel. The handler only records the signal
 * and cancels the tokens handed to {@link #cancelOn}; blocking loops notice between short polls. A
 * watch or a follow ends with exit 0 (kubectl's habit); a wait or a deploy ends with {@link
 * #exitCode()}: 130 for Ctrl-C, 143 for SIGTERM. Core never reads this class: it is told through a
 * {@link CancelToken}.
 */
final class Interrupts {
  private static volatile String signal;
  private static boolean installed;
  private static final List<CancelToken> TOKENS = new CopyOnWriteArrayList<>();
  private static final List<Runnable> LISTENERS = new ArrayList<>();
  private static int signals;

  private Interrupts() {}

  static synchronized void install() {
    if (installed) return;
    installed = true;
    try {
      sun.misc.Signal.handle(new sun.misc.Signal("INT"), s -> received("INT"));
      sun.misc.Signal.handle(new sun.misc.Signal("TERM"), s -> received("TERM"));
    } catch (IllegalArgumentException e) {
      // The platform does not let us handle these signals: the JVM's default applies.
    }
  }

  private static void received(String name) {
    if (signal == null) signal = name;
    for (CancelToken t : TOKENS) t.cancel(reason());
    tellListeners();
  }

  private static synchronized void tellListeners() {
    signals++;
    for (Runnable listener : LISTENERS) listener.run();
  }

  /**
   * Runs {@code listener} on every signal from now on, and once per signal already received: for a
   * command that finishes its work before exiting ({@code div logs write}), where a second Ctrl-C
   * means "now".
   */
  static synchronized void onSignal(Runnable listener) {
    install();
    LISTENERS.add(listener);
    for (int i = 0; i < signals; i++) listener.run();
  }

  /** Installs the handlers and cancels {@code token} on the first signal. */
  static CancelToken cancelOn(CancelToken token) {
    install();
    TOKENS.add(token);
    if (signal != null) token.cancel(reason());
    return token;
  }

  static boolean requested() {
    return signal != null;
  }

  /** What a cancelled wait or deploy says it was: "interrupted" or "terminated". */
  static String reason() {
    return "TERM".equals(signal) ? "terminated" : "interrupted";
  }

  /** 143 after SIGTERM, 130 after Ctrl-C (128 + the signal's number, as shells report it). */
  static int exitCode() {
    return "TERM".equals(signal) ? ExitCodes.TERMINATED : ExitCodes.INTERRUPTED;
  }
}
