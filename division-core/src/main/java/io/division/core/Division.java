package io.division.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.division.core.config.DivConfig;
import io.division.core.config.StoreOptions;
import io.division.core.config.StoreUrls;
import io.division.core.kind.KindDefinition;
import io.division.core.kind.KindRegistry;
import io.division.core.kind.SchemaValidator;
import io.division.core.manifest.Document;
import io.division.core.manifest.ManifestException;
import io.division.core.model.Resource;
import io.division.core.model.ResourceKey;
import io.division.core.model.Validation;
import io.division.core.store.ApplyResult;
import io.division.core.store.ListQuery;
import io.division.core.store.Store;
import io.division.core.store.StoreException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The entry point for every front end (CLI, gateway, Jenkins steps): a store plus the kinds it
 * knows (built-ins, the configuration's static CRDs, and CRDs stored in the store itself).
 *
 * <p>Thread-safe: one long-lived instance (a Jenkins controller, a gateway) serves any number of
 * concurrent callers. The kinds are cached and reloaded after an apply through this instance, when
 * a name does not resolve, and after {@link #KINDS_MAX_AGE}, so CRDs stored by other processes are
 * picked up too.
 */
public final class Division implements AutoCloseable {
  public static final String DEFAULT_NAMESPACE = "default";

  /**
   * How long a long-lived instance trusts its cached kinds before reading the stored CRDs again.
   */
  public static final java.time.Duration KINDS_MAX_AGE = java.time.Duration.ofSeconds(10);

  private final DivConfig config;
  private final Store store;

  /** Bumped by every apply through this instance: a registry loaded before it is stale. */
  private final AtomicLong kindsGeneration = new AtomicLong();

  private final AtomicReference<LoadedKinds> kinds = new AtomicReference<>();

  private record LoadedKinds(long generation, long loadedAtNanos, KindRegistry registry) {}

  public Division(DivConfig config, Store store) {
    this.config = config;
    this.store = store;
  }

  /** Opens the store the configuration names, with the default options. */
  public static Division open(DivConfig config) {
    return open(config, StoreOptions.from(config).build());
  }

  /**
   * Opens a store from options: the caller's AWS credentials provider and HTTP client, SQLite
   * tuning. Opening a {@code sqlite:} store never loads AWS SDK classes.
   */
  public static Division open(DivConfig config, StoreOptions options) {
    return new Division(config, new Store(StoreUrls.open(options)));
  }

  public Store store() {
    return store;
  }

  public DivConfig config() {
    return config;
  }

  /** Loaded on first use: the stored CRDs are one query, which pure local commands never pay. */
  public KindRegistry kinds() {
    long generation = kindsGeneration.get();
    LoadedKinds loaded = kinds.get();
    if (loaded != null
        && loaded.generation() == generation
        && System.nanoTime() - loaded.loadedAtNanos() < KINDS_MAX_AGE.toNanos()) {
      return loaded.registry();
    }
    return reloadKinds(generation);
  }

  private KindRegistry reloadKinds(long generation) {
    List<KindDefinition> defs = new ArrayList<>();
    for (Resource crd : config.customResourceDefinitions()) defs.add(definition(crd, "div.yaml"));
    // A damaged stored CRD defines no kind; `div get crds` reports it by name.
    for (Resource crd : store.list(ListQuery.all(KindDefinition.CRD_KIND)).items()) {
      defs.add(definition(crd, "stored " + crd.key()));
    }
    KindRegistry registry = new KindRegistry(defs);
    LoadedKinds fresh = new LoadedKinds(generation, System.nanoTime(), registry);
    // Concurrent loaders: the one from the newest generation wins; an older one never replaces it.
    kinds.accumulateAndGet(
        fresh,
        (current, next) ->
            current == null || current.generation() <= next.generation() ? next : current);
    return registry;
  }

  private static KindDefinition definition(Resource crd, String where) {
    try {
      return KindDefinition.fromCrd(crd);
    } catch (IllegalArgumentException | DivisionException e) {
      throw DivisionException.invalid(
          where + ": invalid CustomResourceDefinition " + crd.name() + ": " + e.getMessage());
    }
  }

  /** The kind a name means; a name not known yet is looked up again in the stored CRDs. */
  public KindDefinition resolve(String kindName) {
    KindRegistry registry = kinds();
    if (registry.find(kindName).isPresent()) return registry.resolve(kindName);
    return reloadKinds(kindsGeneration.get()).resolve(kindName);
  }

  /** The key of {@code name} of that kind, with the namespace its scope calls for. */
  public ResourceKey key(KindDefinition kind, String namespace, String name) {
    return new ResourceKey(
        kind.kind(), kind.namespaced() ? namespaceOrDefault(namespace) : "", name);
  }

  public static String namespaceOrDefault(String namespace) {
    return namespace == null || namespace.isBlank() ? DEFAULT_NAMESPACE : namespace;
  }

  /**
   * Turns manifest documents into resources ready to store, checking each completely (kind, name,
   * labels, schema) before anything is written: a bad document fails the whole apply. CRDs in the
   * same batch are known to the documents after them.
   */
  public List<Resource> prepare(List<Document> documents, String namespace) {
    return prepare(documents, namespace, false);
  }

  /**
   * {@link #prepare(List, String)}; when {@code namespaceRequired} (the caller named the namespace
   * explicitly), a document that names another namespace is refused rather than written there.
   */
  public List<Resource> prepare(
      List<Document> documents, String namespace, boolean namespaceRequired) {
    List<Resource> out = new ArrayList<>();
    java.util.Map<ResourceKey, Document> seen = new java.util.HashMap<>();
    KindRegistry registry = kinds();
    for (Document doc : documents) {
      Resource r = toResource(doc);
      KindDefinition kind;
      try {
        kind = registry.resolve(r.kind());
      } catch (IllegalArgumentException | DivisionException e) {
        throw new ManifestException(doc.where() + ": " + e.getMessage());
      }
      if (namespaceRequired
          && kind.namespaced()
          && r.namespace() != null
          && !r.namespace().isBlank()
          && !r.namespace().equals(namespaceOrDefault(namespace))) {
        throw new ManifestException(
            doc.where()
                + " ("
                + kind.singular()
                + "/"
                + r.name()
                + "): its namespace \""
                + r.namespace()
                + "\" does not match the namespace \""
                + namespaceOrDefault(namespace)
                + "\" asked for; nothing was written");
      }
      String ns =
          kind.namespaced()
              ? namespaceOrDefault(r.namespace() == null ? namespace : r.namespace())
              : "";
      r = r.withKind(kind.kind()).withMetadata(r.metadata().withNamespace(ns));
      List<String> problems = problems(r, kind);
      if (kind.kind().equals(KindDefinition.CRD_KIND)) {
        try {
          registry = registry.with(List.of(crdDefinition(r)));
        } catch (IllegalArgumentException | DivisionException e) {
          problems.add(e.getMessage());
        }
      }
      if (!problems.isEmpty()) {
        throw new ManifestException(
            doc.where()
                + " ("
                + kind.singular()
                + "/"
                + r.name()
                + "): "
                + String.join("; ", problems));
      }
      Document first = seen.putIfAbsent(r.key(), doc);
      if (first != null) {
        throw new ManifestException(
            doc.where()
                + ": "
                + r.key()
                + " is also in "
                + first.where()
                + "; one apply writes each resource once");
      }
      out.add(r);
    }
    return out;
  }

  /**
   * What stops {@code r} from being stored as an object of {@code kind}: names, labels, schema, an
   * approval's policy. Apply and patch both ask this, so neither lets through what the other
   * refuses.
   */
  private static List<String> problems(Resource r, KindDefinition kind) {
    List<String> problems = new ArrayList<>(Validation.check(r));
    if (kind.schema() != null) {
      SchemaValidator.validate(kind.schema(), r.toJson())
          .forEach(m -> problems.add("schema: " + m));
    }
    if (kind.kind().equals(io.division.core.kind.BuiltinKinds.APPROVAL)) {
      try {
        io.division.core.approval.ApprovalPolicy.parse(r.spec());
      } catch (DivisionException e) {
        problems.add(e.getMessage());
      }
    }
    return problems;
  }

  /**
   * The kind a CustomResourceDefinition defines, refusing one that could not be read back or that
   * would strand the objects of the kind it defines now (a new kind name or scope while some
   * exist).
   */
  private KindDefinition crdDefinition(Resource crd) {
    KindDefinition defined = KindDefinition.fromCrd(crd);
    Optional<Resource> stored = store.find(crd.key());
    if (stored.isEmpty()) return defined;
    KindDefinition before;
    try {
      before = KindDefinition.fromCrd(stored.get());
    } catch (IllegalArgumentException | DivisionException e) {
      return defined; // a broken stored definition may always be repaired
    }
    boolean renamed = !before.kind().equals(defined.kind());
    boolean rescoped = before.scope() != defined.scope();
    if ((renamed || rescoped) && !store.list(ListQuery.all(before.kind())).items().isEmpty()) {
      throw DivisionException.invalid(
          (renamed
                  ? "spec.names.kind cannot change from " + before.kind() + " to " + defined.kind()
                  : "spec.scope cannot change from " + before.scope() + " to " + defined.scope())
              + " while "
              + before.plural()
              + " exist");
    }
    return defined;
  }

  /**
   * A JSON merge patch on a stored resource, held to the rules an apply of its result would be:
   * names, labels, the kind's schema, a CustomResourceDefinition's own rules. A {@code
   * metadata.resourceVersion} in the patch is a precondition (stale: Conflict, nothing written).
   */
  public Resource patch(ResourceKey key, JsonNode patch) {
    try {
      return store.mergePatch(key, patch, this::checkPatched);
    } finally {
      if (key.kind().equals(KindDefinition.CRD_KIND)) kindsGeneration.incrementAndGet();
    }
  }

  private void checkPatched(Resource patched) {
    KindDefinition kind = resolve(patched.kind());
    List<String> problems = problems(patched, kind);
    if (kind.kind().equals(KindDefinition.CRD_KIND)) {
      try {
        kinds().with(List.of(crdDefinition(patched)));
      } catch (IllegalArgumentException | DivisionException e) {
        problems.add(e.getMessage());
      }
    }
    if (!problems.isEmpty()) {
      throw new StoreException(
          StoreException.Reason.INVALID,
          kind.singular() + "/" + patched.name() + ": " + String.join("; ", problems),
          patched.key());
    }
  }

  private static Resource toResource(Document doc) {
    JsonNode node = doc.node();
    if (!node.path("kind").isTextual() || node.get("kind").asText().isBlank()) {
      throw new ManifestException(doc.where() + ": kind is required");
    }
    if (!node.path("metadata").isObject()) {
      throw new ManifestException(doc.where() + ": metadata.name is required");
    }
    try {
      return Resource.fromJson(node);
    } catch (IllegalArgumentException | DivisionException e) {
      throw new ManifestException(doc.where() + ": " + e.getMessage());
    }
  }

  /** Validates every document, then applies them all atomically. */
  public List<ApplyResult> apply(List<Document> documents, String namespace) {
    return apply(documents, namespace, false);
  }

  /** {@link #apply(List, String)} with {@link #prepare(List, String, boolean)}'s namespace rule. */
  public List<ApplyResult> apply(
      List<Document> documents, String namespace, boolean namespaceRequired) {
    List<Resource> resources = prepare(documents, namespace, namespaceRequired);
    try {
      return store.applyAll(resources);
    } catch (StoreException e) {
      for (int i = 0; i < resources.size(); i++) {
        if (resources.get(i).key().equals(e.key())) {
          throw new StoreException(
              e.reason(), documents.get(i).where() + ": " + e.getMessage(), e.key());
        }
      }
      throw e;
    } finally {
      kindsGeneration.incrementAndGet(); // an applied CRD changes what resolves
    }
  }

  public Resource get(String kindName, String namespace, String name) {
    return store.get(key(resolve(kindName), namespace, name));
  }

  @Override
  public void close() {
    store.close();
  }
}
