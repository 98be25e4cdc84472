package io.division.core.store;

import io.division.core.model.Resource;

/** What {@link Store#apply} did, in kubectl's words. */
public record ApplyResult(Resource resource, Outcome outcome) {
  public enum Outcome {
    CREATED("created"),
    CONFIGURED("configured"),
    UNCHANGED("unchanged");

    private final String verb;

    Outcome(String verb) {
      this.verb = verb;
    }

    public String verb() {
      return verb;
    }
  }
}
