package io.division.core.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.division.core.model.ObjectMeta;
import io.division.core.model.Resource;
import io.division.core.model.ResourceKey;
import io.division.core.model.Validation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The store as callers use it: Kubernetes semantics (system fields, generation, optimistic
 * concurrency, apply) over any {@link StoreBackend}. Kind-agnostic: resolving kinds and scopes is
 * the caller's business (see {@code io.division.core.Division}).
 */
public final class Store implements AutoCloseable {
  /**
   * A read-modify-write without a caller-supplied version retries a lost race at least this often,
   * and for as long as {@link #CONFLICT_RETRY_TIME} allows: with many writers of one object (or a
   * slow store) a writer may lose many rounds in a row, and it must still get its turn.
   */
  private static final int MAX_CONFLICT_RETRIES = 16;

  private static final Duration CONFLICT_RETRY_TIME = Duration.ofSeconds(60);

  private final StoreBackend backend;
  private final Clock clock;

  public Store(StoreBackend backend) {
    this(backend, Clock.systemUTC());
  }

  public Store(StoreBackend backend, Clock clock) {
    this.backend = Objects.requireNonNull(backend);
    this.clock = clock;
  }

  public StoreBackend backend() {
    return backend;
  }

  public String describe() {
    return backend.describe();
  }

  public Optional<Resource> find(ResourceKey key) {
    return backend.get(key);
  }

  public Resource get(ResourceKey key) {
    return backend.get(key).orElseThrow(() -> StoreException.notFound(key));
  }

  public ResourceList list(ListQuery query) {
    return backend.list(query);
  }

  /** Creates a resource; AlreadyExists if its name is taken. */
  public Resource create(Resource resource) {
    validate(resource);
    return backend.write(List.of(new Write.Create(stampNew(resource)))).get(0);
  }

  /**
   * Replaces a resource's labels, annotations, spec and status. The resource must carry the
   * resourceVersion it was read at: a stale one is a Conflict.
   */
  public Resource update(Resource resource) {
    validate(resource);
    String expected = resource.resourceVersion();
    if (expected == null || expected.isEmpty()) {
      throw StoreException.invalid(
          resource.key() + ": metadata.resourceVersion is required for an update");
    }
    Resource current = get(resource.key());
    if (!expected.equals(current.resourceVersion())) throw StoreException.conflict(resource.key());
    return backend
        .write(List.of(new Write.Update(stampUpdate(current, resource), expected)))
        .get(0);
  }

  /**
   * Creates or updates. A resourceVersion in the applied object is a precondition (stale: Conflict,
   * nothing written); without one, the latest version is replaced. A missing {@code status} keeps
   * the stored status, so re-applying a manifest never erases what a controller reported.
   */
  public ApplyResult apply(Resource resource) {
    return applyAll(List.of(resource)).get(0);
  }

  /** {@link #apply} for several resources at once, atomically: all are written or none. */
  public List<ApplyResult> applyAll(List<Resource> resources) {
    Set<ResourceKey> seen = new HashSet<>();
    for (Resource r : resources) {
      validate(r);
      if (!seen.add(r.key())) throw StoreException.invalid(r.key() + " appears more than once");
    }
    long retryUntil = System.nanoTime() + CONFLICT_RETRY_TIME.toNanos();
    for (int attempt = 0; ; attempt++) {
      List<ApplyResult> results = new ArrayList<>(resources.size());
      List<Write> writes = new ArrayList<>();
      List<Integer> writeIndexes = new ArrayList<>();
      boolean pinned = false;
      for (Resource desired : resources) {
        String pinnedVersion = desired.resourceVersion();
        pinned |= pinnedVersion != null && !pinnedVersion.isEmpty();
        Optional<Resource> current = backend.get(desired.key());
        if (current.isEmpty()) {
          if (pinnedVersion != null && !pinnedVersion.isEmpty()) {
            throw new StoreException(
                StoreException.Reason.NOT_FOUND,
                desired.key()
                    + " not found, but metadata.resourceVersion "
                    + pinnedVersion
                    + " says it should exist (remove resourceVersion to create it)",
                desired.key());
          }
          writes.add(new Write.Create(stampNew(desired)));
          writeIndexes.add(results.size());
          results.add(new ApplyResult(null, ApplyResult.Outcome.CREATED));
          continue;
        }
        Resource existing = current.get();
        if (pinnedVersion != null
            && !pinnedVersion.isEmpty()
            && !pinnedVersion.equals(existing.resourceVersion())) {
          throw StoreException.conflict(desired.key());
        }
        Resource merged =
            desired.status() == null ? desired.withStatus(existing.status()) : desired;
        if (sameContent(existing, merged)) {
          results.add(new ApplyResult(existing, ApplyResult.Outcome.UNCHANGED));
          continue;
        }
        writes.add(new Write.Update(stampUpdate(existing, merged), existing.resourceVersion()));
        writeIndexes.add(results.size());
        results.add(new ApplyResult(null, ApplyResult.Outcome.CONFIGURED));
      }
      if (writes.isEmpty()) return results;
      try {
        List<Resource> written = backend.write(writes);
        for (int i = 0; i < written.size(); i++) {
          int at = writeIndexes.get(i);
          results.set(at, new ApplyResult(written.get(i), results.get(at).outcome()));
        }
        return results;
      } catch (StoreException e) {
        // Without a pinned version the caller asked for "latest wins": a lost race is retried
        // from a fresh read. With one, the Conflict is the answer.
        boolean raced =
            e.is(StoreException.Reason.CONFLICT) || e.is(StoreException.Reason.ALREADY_EXISTS);
        if (!raced || pinned || !mayRetry(attempt, retryUntil)) throw e;
      }
    }
  }

  /**
   * Read-modify-write with retries on Conflict: {@code change} gets the latest version and returns
   * the wanted one (or the same object for no change). For approvals, status updates, reconcilers.
   */
  public Resource modify(ResourceKey key, UnaryOperator<Resource> change) {
    return readModifyWrite(key, null, change, wanted -> {});
  }

  /**
   * A JSON merge patch (RFC 7386) on the whole object; only labels, annotations, spec, status
   * apply. A {@code metadata.resourceVersion} in the patch is a precondition, as in Kubernetes: a
   * stale one is a Conflict and nothing is written; without one, the patch applies to the latest
   * version (a concurrent change is retried, never lost).
   */
  public Resource mergePatch(ResourceKey key, JsonNode patch) {
    return mergePatch(key, patch, patched -> {});
  }

  /**
   * As {@link #mergePatch(ResourceKey, JsonNode)}; {@code check} sees every patched result before
   * it is written and throws to refuse it (the kind's schema, a CustomResourceDefinition's own
   * rules), so that a patch is held to what an apply of its result would be.
   */
  public Resource mergePatch(ResourceKey key, JsonNode patch, Consumer<Resource> check) {
    if (patch == null || !patch.isObject()) {
      throw StoreException.invalid("a merge patch must be a JSON object");
    }
    JsonNode metadata = patch.path("metadata");
    if (!metadata.isMissingNode() && !metadata.isNull() && !metadata.isObject()) {
      throw StoreException.invalid("metadata in a merge patch must be an object");
    }
    JsonNode version = metadata.path("resourceVersion");
    if (!version.isMissingNode() && !version.isNull() && !version.isTextual()) {
      throw StoreException.invalid("metadata.resourceVersion in a merge patch must be a string");
    }
    String pinned = version.isTextual() && !version.asText().isEmpty() ? version.asText() : null;
    return readModifyWrite(
        key,
        pinned,
        current -> {
          // toJson shares spec and status with `current`: patch a copy, or the change would be
          // invisible (and no write would happen).
          ObjectNode doc = current.toJson().deepCopy();
          JsonMergePatch.apply(doc, patch);
          Resource patched = Resource.fromJson(doc);
          // Identity and system fields are not the patch's to change.
          ObjectMeta meta = current.metadata();
          return new Resource(
              current.apiVersion(),
              current.kind(),
              meta.toBuilder()
                  .labels(patched.metadata().labels())
                  .annotations(patched.metadata().annotations())
                  .build(),
              patched.spec(),
              patched.status());
        },
        check);
  }

  /**
   * Reads, changes and writes {@code key}, retrying a lost race from a fresh read unless the caller
   * pinned the version it read ({@code pinned}): then a stale version is the answer, a Conflict.
   */
  private Resource readModifyWrite(
      ResourceKey key, String pinned, UnaryOperator<Resource> change, Consumer<Resource> check) {
    long retryUntil = System.nanoTime() + CONFLICT_RETRY_TIME.toNanos();
    for (int attempt = 0; ; attempt++) {
      Resource current = get(key);
      if (pinned != null && !pinned.equals(current.resourceVersion())) {
        throw StoreException.conflict(key);
      }
      Resource wanted = change.apply(current);
      if (wanted == current || sameContent(current, wanted)) return current;
      validate(wanted);
      check.accept(wanted);
      try {
        return backend
            .write(
                List.of(new Write.Update(stampUpdate(current, wanted), current.resourceVersion())))
            .get(0);
      } catch (StoreException e) {
        boolean retry =
            e.is(StoreException.Reason.CONFLICT) && pinned == null && mayRetry(attempt, retryUntil);
        if (!retry) throw e;
      }
    }
  }

  /** Deletes a resource and its log; NotFound if absent. */
  public Resource delete(ResourceKey key) {
    return delete(key, null);
  }

  /** As {@link #delete(ResourceKey)}, failing with Conflict unless the stored version matches. */
  public Resource delete(ResourceKey key, String expectedResourceVersion) {
    return backend.write(List.of(new Write.Delete(key, expectedResourceVersion))).get(0);
  }

  public Watch watch(WatchQuery query) {
    return backend.watch(query);
  }

  public long appendLog(ResourceKey key, List<String> lines) {
    if (lines.isEmpty()) return 0;
    return backend.appendLog(key, lines);
  }

  public List<LogLine> readLog(ResourceKey key, long afterSeq, int limit) {
    return backend.readLog(key, afterSeq, limit);
  }

  public long changeMark() {
    return backend.changeMark();
  }

  public void awaitChange(long mark, Duration timeout) throws InterruptedException {
    backend.awaitChange(mark, timeout);
  }

  @Override
  public void close() {
    backend.close();
  }

  private static boolean mayRetry(int attempt, long retryUntilNanos) {
    return attempt < MAX_CONFLICT_RETRIES || System.nanoTime() < retryUntilNanos;
  }

  private static void validate(Resource r) {
    List<String> errors = Validation.check(r);
    if (!errors.isEmpty()) {
      String what =
          r.kind() == null
              ? "resource"
              : r.kind().toLowerCase(java.util.Locale.ROOT) + "/" + r.name();
      throw StoreException.invalid(what + ": " + String.join("; ", errors));
    }
  }

  private static boolean sameContent(Resource a, Resource b) {
    return Objects.equals(a.metadata().labels(), b.metadata().labels())
        && Objects.equals(a.metadata().annotations(), b.metadata().annotations())
        && Objects.equals(a.spec(), b.spec())
        && Objects.equals(a.status(), b.status())
        && Objects.equals(
            a.apiVersion() == null ? Resource.DEFAULT_API_VERSION : a.apiVersion(),
            b.apiVersion() == null ? Resource.DEFAULT_API_VERSION : b.apiVersion());
  }

  private String now() {
    return Instant.now(clock).truncatedTo(ChronoUnit.MILLIS).toString();
  }

  private Resource stampNew(Resource r) {
    String now = now();
    ObjectMeta meta =
        r.metadata().withSystemFields(UUID.randomUUID().toString(), null, 1L, now, now);
    return new Resource(apiVersionOf(r), r.kind(), meta, r.spec(), r.status());
  }

  /** Keeps identity and creation time; bumps generation only when the spec changed. */
  private Resource stampUpdate(Resource current, Resource wanted) {
    long generation = current.metadata().generation() == null ? 1 : current.metadata().generation();
    if (!Objects.equals(current.spec(), wanted.spec())) generation++;
    ObjectMeta meta =
        wanted
            .metadata()
            .withSystemFields(
                current.metadata().uid(),
                null,
                generation,
                current.metadata().creationTimestamp(),
                now());
    return new Resource(
        wanted.apiVersion() == null ? current.apiVersion() : wanted.apiVersion(),
        current.kind(),
        meta,
        wanted.spec(),
        wanted.status());
  }

  private static String apiVersionOf(Resource r) {
    return r.apiVersion() == null ? Resource.DEFAULT_API_VERSION : r.apiVersion();
  }
}
