package io.division.core.wait;

import io.division.core.condition.Condition;
import io.division.core.condition.Conditions;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The condition texts a {@link WaitSpec} stores, and their parsed form. A text names its language
 * by a prefix ({@code jsonql=}, {@code condition=}, {@code jsonpath=}); one without is an
 * expression. Parsed conditions are immutable and cached: hundreds of waits checked every second
 * re-read the same few texts.
 */
final class WaitConditions {
  private static final String JSONQL = "jsonql=";
  private static final int CACHE_LIMIT = 4096;
  private static final Map<String, Condition> CACHE = new ConcurrentHashMap<>();

  private WaitConditions() {}

  static Condition parse(String text) {
    Condition cached = CACHE.get(text);
    if (cached != null) return cached;
    Condition parsed;
    String lower = text.toLowerCase(Locale.ROOT);
    if (lower.startsWith(JSONQL)) {
      parsed = Conditions.parseExpression(text.substring(JSONQL.length()));
    } else if (lower.startsWith("condition=") || lower.startsWith("jsonpath=")) {
      parsed = Conditions.parseFor(text);
    } else {
      parsed = Conditions.parseExpression(text);
    }
    if (CACHE.size() >= CACHE_LIMIT) CACHE.clear();
    CACHE.put(text, parsed);
    return parsed;
  }

  /**
   * The stored text of an expression given as the original's {@code --until jsonql="..."} or bare;
   * the shell has usually removed the quotes, but a script may pass them through.
   */
  static String expression(String given) {
    String t = given == null ? "" : given.trim();
    if (t.toLowerCase(Locale.ROOT).startsWith(JSONQL)) t = t.substring(JSONQL.length()).trim();
    if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) {
      t = t.substring(1, t.length() - 1);
    }
    String text = JSONQL + t;
    parse(text);
    return text;
  }

  /** The stored text of a kubectl {@code --for} form other than delete and create. */
  static String kubectlForm(String form) {
    String f = form.trim();
    int eq = f.indexOf('=');
    String text = eq > 0 ? f.substring(0, eq).toLowerCase(Locale.ROOT) + f.substring(eq) : f;
    Conditions.parseFor(text); // a form that is not one of kubectl's is rejected here
    return text;
  }
}
