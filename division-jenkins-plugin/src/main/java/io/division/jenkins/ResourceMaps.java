package io.division.jenkins;

import com.fasterxml.jackson.databind.JsonNode;
import io.division.core.DivisionException;
import io.division.core.model.Json;
import io.division.core.model.Resource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Resources to and from the plain maps and lists a pipeline script handles. What a step returns is
 * made of LinkedHashMap, ArrayList, String, Number and Boolean only, so a CPS program can keep it
 * across a restart.
 */
public final class ResourceMaps {
  private ResourceMaps() {}

  @SuppressWarnings("unchecked")
  public static Map<String, Object> toMap(Resource resource) {
    if (resource == null) return null;
    return Json.mapper().convertValue(resource.toJson(), LinkedHashMap.class);
  }

  public static List<Map<String, Object>> toMaps(List<Resource> resources) {
    List<Map<String, Object>> out = new ArrayList<>(resources.size());
    for (Resource r : resources) out.add(toMap(r));
    return out;
  }

  /**
   * A map from a script as JSON. Groovy hands over interpolated strings as GStrings and numbers of
   * several types; everything is turned into plain JSON values first, and anything else (a closure,
   * a file) is an error naming where it is.
   */
  public static JsonNode toJson(Object value, String where) {
    return Json.mapper().valueToTree(plain(value, where));
  }

  private static Object plain(Object value, String where) {
    if (value == null || value instanceof Boolean || value instanceof Number) return value;
    if (value instanceof CharSequence s) return s.toString();
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        String key = String.valueOf(e.getKey());
        out.put(key, plain(e.getValue(), where + "." + key));
      }
      return out;
    }
    if (value instanceof Iterable<?> list) {
      List<Object> out = new ArrayList<>();
      int i = 0;
      for (Object item : list) out.add(plain(item, where + "[" + i++ + "]"));
      return out;
    }
    if (value instanceof Object[] array) return plain(List.of(array), where);
    throw DivisionException.invalid(
        where
            + ": expected a map, list, string, number or boolean, not a "
            + value.getClass().getSimpleName());
  }
}
