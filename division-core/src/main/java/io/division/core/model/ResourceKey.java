package io.division.core.model;

import java.util.Objects;

/**
 * Identifies one resource: its kind (the canonical kind name, e.g. {@code Approval}), namespace
 * ({@code ""} for cluster-scoped kinds) and name.
 */
public record ResourceKey(String kind, String namespace, String name)
    implements java.io.Serializable {
  public ResourceKey {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
    namespace = namespace == null ? "" : namespace;
  }

  /** {@code approval/myjob1approval}, the way kubectl names an object in messages. */
  @Override
  public String toString() {
    return kind.toLowerCase(java.util.Locale.ROOT) + "/" + name;
  }
}
