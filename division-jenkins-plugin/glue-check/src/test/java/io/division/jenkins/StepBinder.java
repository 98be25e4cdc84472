package io.division.jenkins;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * Builds a step from named arguments the way Jenkins does (structs' DescribableModel): the
 * {@code @DataBoundConstructor} parameters by name, then {@code @DataBoundSetter} setters, and an
 * unknown or misspelled parameter is an error. Groovy strings become Strings, numbers and lists are
 * converted to the declared type.
 */
final class StepBinder {
  private StepBinder() {}

  static <T extends Step> T instantiate(Class<T> type, Map<String, ?> arguments) throws Exception {
    Map<String, Object> left = new LinkedHashMap<>(arguments);
    Constructor<?> constructor = null;
    for (Constructor<?> c : type.getConstructors()) {
      if (c.isAnnotationPresent(DataBoundConstructor.class)) constructor = c;
    }
    if (constructor == null)
      throw new IllegalStateException(type + " has no @DataBoundConstructor");
    Parameter[] params = constructor.getParameters();
    Object[] values = new Object[params.length];
    for (int i = 0; i < params.length; i++) {
      if (!params[i].isNamePresent()) throw new IllegalStateException("compile with -parameters");
      values[i] =
          convert(
              left.remove(params[i].getName()),
              params[i].getType(),
              params[i].getParameterizedType());
    }
    T step = type.cast(constructor.newInstance(values));
    Map<String, Method> setters = setters(type);
    for (Map.Entry<String, Object> e : new ArrayList<>(left.entrySet())) {
      Method setter = setters.get(e.getKey());
      if (setter == null) continue;
      setter.invoke(
          step,
          convert(
              e.getValue(), setter.getParameterTypes()[0], setter.getGenericParameterTypes()[0]));
      left.remove(e.getKey());
    }
    if (!left.isEmpty()) {
      TreeSet<String> known = new TreeSet<>(setters.keySet());
      for (Parameter p : params) known.add(p.getName());
      throw new IllegalArgumentException(
          "Unknown parameter(s) found for class type '"
              + type.getName()
              + "': "
              + String.join(",", left.keySet())
              + " (known: "
              + String.join(", ", known)
              + ")");
    }
    return step;
  }

  static Map<String, Method> setters(Class<?> type) {
    Map<String, Method> out = new LinkedHashMap<>();
    for (Method m : type.getMethods()) {
      if (m.isAnnotationPresent(DataBoundSetter.class)
          && m.getName().startsWith("set")
          && m.getParameterCount() == 1) {
        String name = m.getName().substring(3);
        out.put(Character.toLowerCase(name.charAt(0)) + name.substring(1), m);
      }
    }
    return out;
  }

  private static Object convert(Object value, Class<?> type, Type generic) {
    if (value == null) {
      if (type == boolean.class) return false;
      if (type == int.class) return 0;
      if (type == long.class) return 0L;
      return null;
    }
    if (type == String.class) {
      if (value instanceof CharSequence s) return s.toString();
      if (value instanceof Number || value instanceof Boolean) return value.toString();
      throw mismatch(value, type);
    }
    if (type == boolean.class || type == Boolean.class) {
      if (value instanceof Boolean b) return b;
      throw mismatch(value, type);
    }
    if (type == int.class || type == Integer.class) {
      if (value instanceof Number n) return n.intValue();
      throw mismatch(value, type);
    }
    if (type == long.class || type == Long.class) {
      if (value instanceof Number n) return n.longValue();
      throw mismatch(value, type);
    }
    if (List.class.isAssignableFrom(type)) {
      Type element =
          generic instanceof ParameterizedType p ? p.getActualTypeArguments()[0] : Object.class;
      List<Object> out = new ArrayList<>();
      Iterable<?> items = value instanceof Iterable<?> it ? it : List.of(value);
      for (Object item : items) {
        out.add(element == String.class ? convert(item, String.class, String.class) : item);
      }
      return out;
    }
    if (type.isInstance(value)) return value;
    throw mismatch(value, type);
  }

  private static IllegalArgumentException mismatch(Object value, Class<?> type) {
    return new IllegalArgumentException(
        "cannot pass a "
            + value.getClass().getSimpleName()
            + " where a "
            + type.getSimpleName()
            + " is expected");
  }
}
