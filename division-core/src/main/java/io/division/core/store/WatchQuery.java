package io.division.core.store;

import io.division.core.selector.LabelSelector;
import java.util.Objects;

/**
 * What to watch. {@code namespace} null means every namespace. {@code fromResourceVersion} null
 * means "from now"; otherwise every change strictly after that version is delivered, in order.
 */
public record WatchQuery(
    String kind, String namespace, LabelSelector selector, String fromResourceVersion) {
  public WatchQuery {
    Objects.requireNonNull(kind, "kind");
    selector = selector == null ? LabelSelector.everything() : selector;
  }
}
