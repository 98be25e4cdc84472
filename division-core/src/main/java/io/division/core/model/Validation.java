package io.division.core.model;

import io.division.core.selector.LabelValidation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Kubernetes' rules for object names, namespaces, labels and annotation keys. */
public final class Validation {
  private static final Pattern DNS1123_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern DNS1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

  private Validation() {}

  /** Null when valid, else why not. */
  public static String checkName(String name) {
    if (name == null || name.isEmpty()) return "metadata.name is required";
    if (name.length() > 253)
      return "metadata.name " + Messages.quote(name) + " is longer than 253 characters";
    if (!DNS1123_SUBDOMAIN.matcher(name).matches()) {
      return "metadata.name "
          + Messages.quote(name)
          + " is invalid: a lowercase RFC 1123 subdomain must consist of lower case alphanumeric"
          + " characters, '-' or '.', and must start and end with an alphanumeric character";
    }
    return null;
  }

  public static String checkNamespace(String namespace) {
    if (namespace == null || namespace.isEmpty()) return null;
    if (namespace.length() > 63 || !DNS1123_LABEL.matcher(namespace).matches()) {
      return "metadata.namespace "
          + Messages.quote(namespace)
          + " is invalid: a lowercase RFC 1123 label must consist of lower case alphanumeric"
          + " characters or '-', start and end with an alphanumeric character, and be at most 63"
          + " characters";
    }
    return null;
  }

  /** Every problem with a resource's identity and metadata; empty when it may be stored. */
  public static List<String> check(Resource r) {
    List<String> errors = new ArrayList<>();
    if (r.kind() == null || r.kind().isBlank()) errors.add("kind is required");
    addIfPresent(errors, checkName(r.metadata().name()));
    addIfPresent(errors, checkNamespace(r.metadata().namespace()));
    for (Map.Entry<String, String> label : r.metadata().labels().entrySet()) {
      LabelValidation.validateKey(label.getKey())
          .ifPresent(e -> errors.add("metadata.labels: " + e));
      if (label.getValue() == null) {
        errors.add(
            "metadata.labels."
                + Messages.escapeControls(label.getKey())
                + ": value must be a string");
      } else {
        LabelValidation.validateValue(label.getValue())
            .ifPresent(
                e ->
                    errors.add(
                        "metadata.labels." + Messages.escapeControls(label.getKey()) + ": " + e));
      }
    }
    for (String key : r.metadata().annotations().keySet()) {
      LabelValidation.validateKey(key).ifPresent(e -> errors.add("metadata.annotations: " + e));
    }
    return errors;
  }

  private static void addIfPresent(List<String> errors, String error) {
    if (error != null) errors.add(error);
  }
}
