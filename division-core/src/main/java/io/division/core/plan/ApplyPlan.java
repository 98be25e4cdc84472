package io.division.core.plan;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.division.core.Division;
import io.division.core.manifest.Document;
import io.division.core.model.Json;
import io.division.core.model.Resource;
import io.division.core.store.ApplyResult;
import io.division.core.store.StoreException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What an apply would do, computed without writing: for {@code apply --dry-run=server} and {@code
 * diff}. Documents are checked exactly as apply checks them (kinds, schemas, the namespace rule),
 * and a stale {@code metadata.resourceVersion} is a Conflict here too. The merge rule mirrors
 * {@link io.division.core.store.Store#applyAll}: a document without status keeps the stored status.
 */
public final class ApplyPlan {
  /** One resource: what is stored now (null if nothing), what apply would store, and the verb. */
  public record Change(Resource live, Resource wanted, ApplyResult.Outcome outcome) {
    public Change {
      Objects.requireNonNull(wanted, "wanted");
      Objects.requireNonNull(outcome, "outcome");
    }
  }

  private ApplyPlan() {}

  public static List<Change> of(
      Division division, List<Document> documents, String namespace, boolean namespaceRequired) {
    List<Change> changes = new ArrayList<>();
    for (Resource desired : division.prepare(documents, namespace, namespaceRequired)) {
      Optional<Resource> current = division.store().find(desired.key());
      String pinned = desired.resourceVersion();
      boolean isPinned = pinned != null && !pinned.isEmpty();
      if (current.isEmpty()) {
        if (isPinned)
          throw new StoreException(
              StoreException.Reason.NOT_FOUND,
              desired.key()
                  + " not found, but metadata.resourceVersion "
                  + pinned
                  + " says it should exist",
              desired.key());
        changes.add(new Change(null, desired, ApplyResult.Outcome.CREATED));
        continue;
      }
      Resource live = current.get();
      if (isPinned && !pinned.equals(live.resourceVersion()))
        throw StoreException.conflict(desired.key());
      Resource merged = desired.status() == null ? desired.withStatus(live.status()) : desired;
      Resource wanted =
          merged.withMetadata(
              merged
                  .metadata()
                  .withSystemFields(
                      live.metadata().uid(),
                      live.resourceVersion(),
                      live.metadata().generation(),
                      live.metadata().creationTimestamp(),
                      live.metadata().updateTimestamp()));
      boolean same = Objects.equals(comparable(live), comparable(wanted));
      changes.add(
          new Change(
              live, wanted, same ? ApplyResult.Outcome.UNCHANGED : ApplyResult.Outcome.CONFIGURED));
    }
    return changes;
  }

  /** The object without the fields only the store sets, for comparing and showing a diff. */
  public static ObjectNode comparable(Resource r) {
    ObjectNode json = Json.object();
    json.put("apiVersion", r.apiVersion() == null ? Resource.DEFAULT_API_VERSION : r.apiVersion());
    json.setAll(r.toJson());
    if (json.get("metadata") instanceof ObjectNode meta) {
      meta.remove("resourceVersion");
      meta.remove("updateTimestamp");
      meta.remove("generation");
      meta.remove("uid");
      meta.remove("creationTimestamp");
    }
    return json;
  }

  /** The YAML a diff shows for one side; empty for a resource that does not exist. */
  public static String yaml(Resource r) {
    return r == null ? "" : Json.writeYaml(comparable(r));
  }
}
