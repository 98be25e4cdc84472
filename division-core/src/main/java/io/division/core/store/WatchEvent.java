package io.division.core.store;

import io.division.core.model.Resource;

/**
 * A change seen by a watch. For DELETED, the resource is its last state at the deletion's version.
 */
public record WatchEvent(Type type, Resource resource) {
  public enum Type {
    ADDED,
    MODIFIED,
    DELETED
  }

  public String resourceVersion() {
    return resource.resourceVersion();
  }
}
