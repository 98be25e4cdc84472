package io.division.core.selector;

import io.division.core.model.Messages;
import java.util.Optional;
import java.util.regex.Pattern;

/** Kubernetes' rules for label keys and values (also used for annotation keys). */
public final class LabelValidation {
  private static final Pattern NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
  private static final Pattern DNS1123_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  private LabelValidation() {}

  /** An optional DNS-1123 subdomain prefix and '/', then a name of at most 63 characters. */
  public static Optional<String> validateKey(String key) {
    if (key == null || key.isEmpty()) return Optional.of("a label key must not be empty");
    String name = key;
    int slash = key.indexOf('/');
    if (slash >= 0) {
      String prefix = key.substring(0, slash);
      name = key.substring(slash + 1);
      if (prefix.isEmpty()
          || prefix.length() > 253
          || !DNS1123_SUBDOMAIN.matcher(prefix).matches()) {
        return Optional.of(
            "invalid label key "
                + Messages.quote(key)
                + ": the prefix must be a lowercase DNS subdomain of at most 253 characters");
      }
    }
    if (name.isEmpty() || name.length() > 63 || !NAME.matcher(name).matches()) {
      return Optional.of(
          "invalid label key "
              + Messages.quote(key)
              + ": the name must be at most 63 characters of alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric");
    }
    return Optional.empty();
  }

  /**
   * Empty, or at most 63 characters of alphanumerics, '-', '_' or '.', alphanumeric at both ends.
   */
  public static Optional<String> validateValue(String value) {
    if (value.isEmpty()) return Optional.empty();
    if (value.length() > 63 || !NAME.matcher(value).matches()) {
      return Optional.of(
          "invalid label value "
              + Messages.quote(value)
              + ": at most 63 characters of alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric");
    }
    return Optional.empty();
  }
}
