package io.division.core.store;

import io.division.core.selector.LabelSelector;
import java.util.Objects;

/** What to list: one kind, one namespace (null for all) and a label selector. */
public record ListQuery(String kind, String namespace, LabelSelector selector) {
  public ListQuery {
    Objects.requireNonNull(kind, "kind");
    selector = selector == null ? LabelSelector.everything() : selector;
  }

  public static ListQuery all(String kind) {
    return new ListQuery(kind, null, null);
  }
}
