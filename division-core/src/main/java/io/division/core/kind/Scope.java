package io.division.core.kind;

import io.division.core.DivisionException;

/** Whether a kind's objects live in a namespace or once for the whole store, as in Kubernetes. */
public enum Scope {
  NAMESPACED,
  CLUSTER;

  public static Scope parse(String text) {
    if (text == null || text.isBlank() || text.equalsIgnoreCase("Namespaced")) return NAMESPACED;
    if (text.equalsIgnoreCase("Cluster")) return CLUSTER;
    throw DivisionException.invalid(
        "spec.scope must be Namespaced or Cluster, not \"" + text + "\"");
  }
}
