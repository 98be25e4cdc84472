package io.division.jenkins;

import java.io.Serializable;

/**
 * Which store and namespace a step talks to: the step's own {@code store}, {@code credentialsId}
 * and {@code namespace} where given, else the plugin's global configuration. Serializable because a
 * waiting or deploying step keeps it across a controller restart.
 */
public record StoreChoice(String storeUrl, String credentialsId, String namespace)
    implements Serializable {
  public StoreChoice {
    storeUrl = blankToNull(storeUrl);
    credentialsId = blankToNull(credentialsId);
    namespace = blankToNull(namespace);
  }

  public static final StoreChoice DEFAULTS = new StoreChoice(null, null, null);

  /** This choice, with what it leaves open taken from {@code fallback}. */
  public StoreChoice orElse(StoreChoice fallback) {
    return new StoreChoice(
        storeUrl != null ? storeUrl : fallback.storeUrl,
        // Credentials belong to the store they were configured for: a step that names its own
        // store does not inherit the global store's credentials.
        credentialsId != null ? credentialsId : storeUrl != null ? null : fallback.credentialsId,
        namespace != null ? namespace : fallback.namespace);
  }

  static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
