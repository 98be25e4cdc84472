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
    return builder().name(name).namespace(namespace).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this metadata's fields, to change some of them. */
  public Builder toBuilder() {
    return new Builder()
        .name(name)
        .namespace(namespace)
        .labels(labels)
        .annotations(annotations)
        .uid(uid)
        .resourceVersion(resourceVersion)
        .generation(generation)
        .creationTimestamp(creationTimestamp)
        .updateTimestamp(updateTimestamp);
  }

  public ObjectMeta withNamespace(String ns) {
    return toBuilder().namespace(ns).build();
  }

  public ObjectMeta withLabels(Map<String, String> newLabels) {
    return toBuilder().labels(newLabels).build();
  }

  public ObjectMeta withResourceVersion(String rv) {
    return toBuilder().resourceVersion(rv).build();
  }

  /** The fields only the store sets: identity, version and timestamps. */
  public ObjectMeta withSystemFields(
      String newUid, String rv, Long gen, String created, String updated) {
    return toBuilder()
        .uid(newUid)
        .resourceVersion(rv)
        .generation(gen)
        .creationTimestamp(created)
        .updateTimestamp(updated)
        .build();
  }

  /** Builds an {@link ObjectMeta}; unset fields are null (labels and annotations: empty). */
  public static final class Builder {
    private String name;
    private String namespace;
    private Map<String, String> labels;
    private Map<String, String> annotations;
    private String uid;
    private String resourceVersion;
    private Long generation;
    private String creationTimestamp;
    private String updateTimestamp;

    private Builder() {}

    public Builder name(String value) {
      name = value;
      return this;
    }

    public Builder namespace(String value) {
      namespace = value;
      return this;
    }

    public Builder labels(Map<String, String> value) {
      labels = value;
      return this;
    }

    public Builder annotations(Map<String, String> value) {
      annotations = value;
      return this;
    }

    public Builder uid(String value) {
      uid = value;
      return this;
    }

    public Builder resourceVersion(String value) {
      resourceVersion = value;
      return this;
    }

    public Builder generation(Long value) {
      generation = value;
      return this;
    }

    public Builder creationTimestamp(String value) {
      creationTimestamp = value;
      return this;
    }

    public Builder updateTimestamp(String value) {
      updateTimestamp = value;
      return this;
    }

    public ObjectMeta build() {
      return new ObjectMeta(
          name,
          namespace,
          labels,
          annotations,
          uid,
          resourceVersion,
          generation,
          creationTimestamp,
          updateTimestamp);
    }
  }
}
