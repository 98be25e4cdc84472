package io.division.core.store;

import io.division.core.model.Resource;
import java.util.List;

/**
 * A consistent list and the store's version at the moment it was taken: a watch from that version
 * sees every later change, so list-then-watch has no gap.
 */
public record ResourceList(List<Resource> items, String resourceVersion) {
  public ResourceList {
    items = List.copyOf(items);
  }
}
