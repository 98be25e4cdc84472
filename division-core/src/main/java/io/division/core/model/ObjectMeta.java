package io.division.core.model;

import java.util.Map;
import java.util.TreeMap;

/**
 * Kubernetes-style object metadata. {@code resourceVersion} is opaque to callers: the store assigns
 * it on every write and an update carrying a stale one fails with a Conflict.
 */
public record ObjectMeta(
    String name,
    String namespace,
    Map<String, String> labels,
    Map<String, String> annotations,
    String uid,
    String resourceVersion,
    Long generation,
    String creationTimestamp,
    String updateTimestamp) {

  public ObjectMeta {
    labels =
        labels == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(labels));
    annotations =
        annotations == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new TreeMap<>(annotations));
  }

  public static ObjectMeta named(String name, String namespace) {
    return new ObjectMeta(name, namespace, null, null, null, null, null, null, null);
  }

  public ObjectMeta withNamespace(String ns) {
    return new ObjectMeta(
        name,
        ns,
        labels,
        annotations,
        uid,
        resourceVersion,
        generation,
        creationTimestamp,
        updateTimestamp);
  }

  public ObjectMeta withLabels(Map<String, String> newLabels) {
    return new ObjectMeta(
        name,
        namespace,
        newLabels,
        annotations,
        uid,
        resourceVersion,
        generation,
        creationTimestamp,
        updateTimestamp);
  }

  public ObjectMeta withResourceVersion(String rv) {
    return new ObjectMeta(
        name,
        namespace,
        labels,
        annotations,
        uid,
        rv,
        generation,
        creationTimestamp,
        updateTimestamp);
  }

  /** The fields only the store sets: identity, version and timestamps. */
  public ObjectMeta withSystemFields(
      String newUid, String rv, Long gen, String created, String updated) {
    return new ObjectMeta(name, namespace, labels, annotations, newUid, rv, gen, created, updated);
  }
}
