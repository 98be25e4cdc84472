package io.division.jenkins;

import io.division.core.Division;

/**
 * An open store (shared by every step that uses the same store and credentials) and the namespace
 * one step works in.
 */
public record Connection(Division division, String namespace) {
  public Connection {
    namespace = Division.namespaceOrDefault(namespace);
  }
}
