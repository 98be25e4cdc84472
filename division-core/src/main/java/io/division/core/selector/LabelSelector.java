package io.division.core.selector;

import java.util.LinkedHashMap;
import java.util.Map;

/** PLACEHOLDER until the full parser lands from branch lang: equality only. */
public final class LabelSelector {
  private final Map<String, String> eq;

  private LabelSelector(Map<String, String> eq) {
    this.eq = eq;
  }

  public static LabelSelector everything() {
    return new LabelSelector(Map.of());
  }

  public static LabelSelector parse(String text) {
    if (text == null || text.isBlank()) return everything();
    Map<String, String> m = new LinkedHashMap<>();
    for (String part : text.split(",")) {
      String[] kv = part.split("=", 2);
      m.put(kv[0].trim(), kv.length > 1 ? kv[1].trim() : "");
    }
    return new LabelSelector(m);
  }

  public boolean isEverything() {
    return eq.isEmpty();
  }

  public boolean matches(Map<String, String> labels) {
    for (var e : eq.entrySet()) if (!e.getValue().equals(labels.get(e.getKey()))) return false;
    return true;
  }

  @Override
  public String toString() {
    return eq.toString();
  }
}
