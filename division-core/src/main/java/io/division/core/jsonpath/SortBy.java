package io.division.core.jsonpath;

import com.fasterxml.jackson.databind.JsonNode;
import io.division.core.DivisionException;
import io.division.core.model.Resource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * kubectl's {@code --sort-by=PATH}: numbers in numeric order, everything else as text, objects
 * without the field first. A path that no object has is an error, not an unsorted list.
 */
public final class SortBy {
  private SortBy() {}

  public static List<Resource> sort(List<Resource> resources, String path) {
    if (path == null || path.isBlank() || resources.size() < 2) return resources;
    JsonPath p = JsonPath.compile(path);
    record Keyed(Resource resource, JsonNode key) {}
    List<Keyed> keyed = new ArrayList<>();
    boolean anyFound = false;
    for (Resource r : resources) {
      List<JsonNode> found = p.find(r.toJson());
      JsonNode key = found.isEmpty() ? null : found.get(0);
      anyFound |= key != null;
      keyed.add(new Keyed(r, key));
    }
    if (!anyFound)
      throw DivisionException.invalid("--sort-by \"" + path + "\": no object has this field");
    keyed.sort(Comparator.comparing(Keyed::key, SortBy::compare));
    return keyed.stream().map(Keyed::resource).toList();
  }

  private static int compare(JsonNode a, JsonNode b) {
    if (a == null || b == null) return a == null ? (b == null ? 0 : -1) : 1;
    if (a.isNumber() && b.isNumber()) return Double.compare(a.asDouble(), b.asDouble());
    return JsonPathTemplate.text(a).compareTo(JsonPathTemplate.text(b));
  }
}
