package io.division.core.store;

import io.division.core.model.Resource;
import io.division.core.model.ResourceKey;
import java.util.List;

/**
 * A consistent list and the store's version at the moment it was taken: a watch from that version
 * sees every later change, so list-then-watch has no gap. Stored objects that cannot be read back
 * (a damaged row) are not dropped silently: they are listed in {@link #damaged()} by key, and the
 * rest are in {@link #items()}.
 */
public record ResourceList(List<Resource> items, String resourceVersion, List<Damaged> damaged) {
  /** A stored object that could not be read, and why. */
  public record Damaged(ResourceKey key, String problem) {
    /** The same one-line error a read of this object alone raises. */
    public StoreException toException() {
      return StoreException.damaged(key, problem);
    }
  }

  public ResourceList {
    items = List.copyOf(items);
    damaged = damaged == null ? List.of() : List.copyOf(damaged);
  }

  public ResourceList(List<Resource> items, String resourceVersion) {
    this(items, resourceVersion, List.of());
  }
}
