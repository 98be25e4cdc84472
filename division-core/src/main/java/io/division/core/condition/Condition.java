package io.division.core.condition;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A predicate over a resource as JSON ({@code kind}, {@code metadata}, {@code spec}, {@code
 * status}).
 */
public interface Condition {
  boolean test(JsonNode resource);

  /** Canonical text, as timeouts and failures quote it: {@code status.phase = 'Approved'}. */
  String describe();
}
