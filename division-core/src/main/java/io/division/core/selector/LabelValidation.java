package io.division.core.selector;

import java.util.Optional;
import java.util.regex.Pattern;

/** PLACEHOLDER until branch lang lands: Kubernetes label key/value validation. */
public final class LabelValidation {
  private static final Pattern NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");

  private LabelValidation() {}

  public static Optional<String> validateKey(String key) {
    return key != null && NAME.matcher(key.contains("/") ? key.substring(key.indexOf('/') + 1) : key).matches()
        ? Optional.empty()
        : Optional.of("invalid label key \"" + key + "\"");
  }

  public static Optional<String> validateValue(String value) {
    return value.isEmpty() || NAME.matcher(value).matches() && value.length() <= 63
        ? Optional.empty()
        : Optional.of("invalid label value \"" + value + "\"");
  }
}
