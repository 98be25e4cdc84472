package io.division.core.manifest;

import com.fasterxml.jackson.databind.JsonNode;

/** One document of a manifest: where it came from (file and 1-based index) and its content. */
public record Document(String source, int index, JsonNode node) {
  /** {@code approvals.yaml document 2}: how every error about a document starts. */
  public String where() {
    return source + " document " + index;
  }
}
