package io.division.core.store;

import io.division.core.DivisionException;
import io.division.core.model.Resource;
import io.division.core.model.ResourceKey;

/** One write of an atomic batch given to {@link StoreBackend#write}. */
public sealed interface Write {
  ResourceKey key();

  /** Fails with AlreadyExists when the key is taken. */
  record Create(Resource resource) implements Write {
    @Override
    public ResourceKey key() {
      return resource.key();
    }
  }

  /**
   * Fails with NotFound when absent and Conflict when the stored version is not the expected one.
   */
  record Update(Resource resource, String expectedResourceVersion) implements Write {
    public Update {
      if (expectedResourceVersion == null) {
        throw DivisionException.invalid("an update needs the resourceVersion it replaces");
      }
    }

    @Override
    public ResourceKey key() {
      return resource.key();
    }
  }

  /**
   * Deletes the resource and its log; a non-null expected version must match or it is a Conflict.
   */
  record Delete(ResourceKey key, String expectedResourceVersion) implements Write {}
}
