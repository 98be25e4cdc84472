package io.division.core.store;

import io.division.core.DivisionException;
import io.division.core.model.Resource;
import io.division.core.model.ResourceKey;
import java.io.UncheckedIOException;

/** Reads a stored body back into a resource, reporting a damaged one by its key. */
public final class StoredObjects {
  private StoredObjects() {}

  /**
   * The resource stored as {@code body} under {@code key}.
   *
   * @throws StoreException (INTERNAL) naming the key when the body is not a readable resource
   */
  public static Resource parse(ResourceKey key, String body) {
    if (body == null) throw StoreException.damaged(key, "its body is missing");
    try {
      return Resource.fromJson(body);
    } catch (UncheckedIOException e) {
      throw StoreException.damaged(key, "not JSON: " + e.getCause().getMessage());
    } catch (IllegalArgumentException | DivisionException e) {
      throw StoreException.damaged(key, e.getMessage());
    }
  }

  /**
   * The last state of an object being deleted: a damaged one can still be deleted, and its change
   * record then carries only its key.
   */
  public static Resource lastStateForDelete(ResourceKey key, String body) {
    try {
      return parse(key, body);
    } catch (StoreException e) {
      return new Resource(
          null,
          key.kind(),
          io.division.core.model.ObjectMeta.named(key.name(), key.namespace()),
          null,
          null);
    }
  }
}
