package io.division.core.kind;

import io.division.core.text.Suggestions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Resolves what a user types ({@code clusters}, {@code cluster}, {@code Cluster}, a short name) to
 * a kind, like kubectl. Later definitions refine earlier ones of the same kind; a built-in kind
 * keeps its scope, since Division's own code depends on it.
 */
public final class KindRegistry {
  private final Map<String, KindDefinition> byKind = new LinkedHashMap<>();

  public KindRegistry(List<KindDefinition> definitions) {
    for (KindDefinition d : BuiltinKinds.ALL) byKind.put(d.kind().toLowerCase(Locale.ROOT), d);
    for (KindDefinition d : definitions) add(d);
  }

  public static KindRegistry builtins() {
    return new KindRegistry(List.of());
  }

  private void add(KindDefinition d) {
    String key = d.kind().toLowerCase(Locale.ROOT);
    KindDefinition builtin =
        BuiltinKinds.ALL.stream()
            .filter(b -> b.kind().equalsIgnoreCase(d.kind()))
            .findFirst()
            .orElse(null);
    if (builtin == null) {
      byKind.put(key, d);
      return;
    }
    List<String> shortNames = new ArrayList<>(builtin.shortNames());
    d.shortNames().stream().filter(s -> !shortNames.contains(s)).forEach(shortNames::add);
    byKind.put(
        key,
        new KindDefinition(
            builtin.kind(),
            builtin.singular(),
            builtin.plural(),
            shortNames,
            builtin.scope(),
            d.printerColumns().isEmpty() ? builtin.printerColumns() : d.printerColumns(),
            d.schema() != null ? d.schema() : builtin.schema()));
  }

  /** A registry with these definitions added, e.g. the CRDs of an apply that also uses them. */
  public KindRegistry with(List<KindDefinition> more) {
    List<KindDefinition> all = new ArrayList<>(byKind.values());
    all.addAll(more);
    return new KindRegistry(all);
  }

  public Optional<KindDefinition> find(String name) {
    if (name == null) return Optional.empty();
    KindDefinition exact = byKind.get(name.toLowerCase(Locale.ROOT));
    if (exact != null) return Optional.of(exact);
    return byKind.values().stream().filter(d -> d.isNamed(name)).findFirst();
  }

  public KindDefinition resolve(String name) {
    return find(name).orElseThrow(() -> new UnknownKindException(name, closest(name)));
  }

  /** The plural of the kind whose name is nearest to {@code name} (a typo), or null. */
  String closest(String name) {
    Map<String, String> pluralOf = new LinkedHashMap<>();
    for (KindDefinition d : byKind.values()) {
      pluralOf.put(d.kind().toLowerCase(Locale.ROOT), d.plural());
      pluralOf.put(d.singular(), d.plural());
      pluralOf.put(d.plural(), d.plural());
      d.shortNames().forEach(s -> pluralOf.putIfAbsent(s, d.plural()));
    }
    List<String> best = Suggestions.closest(name, pluralOf.keySet());
    return best.isEmpty() ? null : pluralOf.get(best.get(0));
  }

  public List<KindDefinition> all() {
    return List.copyOf(byKind.values());
  }

  /** kubectl's wording for a type it cannot resolve. */
  public static final class UnknownKindException extends io.division.core.DivisionException {
    public UnknownKindException(String name) {
      this(name, null);
    }

    public UnknownKindException(String name, String suggestion) {
      super(
          Reason.NOT_FOUND,
          "the store doesn't have a resource type \""
              + name
              + "\""
              + (suggestion == null
                  ? " (apply its CustomResourceDefinition first)"
                  : "; did you mean \"" + suggestion + "\"?"));
    }
  }
}
