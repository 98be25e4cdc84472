package io.division.core.selector;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Kubernetes label selectors: {@code k=v}, {@code k==v}, {@code k!=v}, {@code k in (a,b)}, {@code k
 * notin (a,b)}, {@code k}, {@code !k}, and kubectl's {@code k>3}, {@code k<3} (integer values; a
 * missing or non-integer label does not match); a comma means AND. As in Kubernetes, {@code !=} and
 * {@code notin} also match objects without the key.
 */
public final class LabelSelector {
  public enum Operator {
    EQUALS,
    NOT_EQUALS,
    IN,
    NOT_IN,
    EXISTS,
    DOES_NOT_EXIST,
    GREATER_THAN,
    LESS_THAN
  }

  public record Requirement(String key, Operator op, List<String> values) {
    public Requirement {
      values = List.copyOf(values);
    }

    boolean matches(Map<String, String> labels) {
      String v = labels.get(key);
      return switch (op) {
        case EQUALS -> v != null && v.equals(values.get(0));
        case NOT_EQUALS -> v == null || !v.equals(values.get(0));
        case IN -> v != null && values.contains(v);
        case NOT_IN -> v == null || !values.contains(v);
        case EXISTS -> v != null;
        case DOES_NOT_EXIST -> v == null;
        case GREATER_THAN -> integer(v) != null && integer(v) > Long.parseLong(values.get(0));
        case LESS_THAN -> integer(v) != null && integer(v) < Long.parseLong(values.get(0));
      };
    }

    private static Long integer(String v) {
      if (v == null || !v.matches("-?\\d{1,18}")) return null;
      return Long.parseLong(v);
    }

    @Override
    public String toString() {
      return switch (op) {
        case EQUALS -> key + "=" + values.get(0);
        case NOT_EQUALS -> key + "!=" + values.get(0);
        case IN -> key + " in (" + String.join(",", values) + ")";
        case NOT_IN -> key + " notin (" + String.join(",", values) + ")";
        case EXISTS -> key;
        case DOES_NOT_EXIST -> "!" + key;
        case GREATER_THAN -> key + ">" + values.get(0);
        case LESS_THAN -> key + "<" + values.get(0);
      };
    }
  }

  private static final LabelSelector EVERYTHING = new LabelSelector(List.of());
  private final List<Requirement> requirements;

  private LabelSelector(List<Requirement> requirements) {
    this.requirements = List.copyOf(requirements);
  }

  public static LabelSelector everything() {
    return EVERYTHING;
  }

  public static LabelSelector parse(String text) {
    if (text == null || text.isBlank()) return EVERYTHING;
    return new LabelSelector(new Parser(text).parse());
  }

  public boolean isEverything() {
    return requirements.isEmpty();
  }

  public List<Requirement> requirements() {
    return requirements;
  }

  public boolean matches(Map<String, String> labels) {
    for (Requirement r : requirements) if (!r.matches(labels)) return false;
    return true;
  }

  @Override
  public String toString() {
    return requirements.stream().map(Requirement::toString).collect(Collectors.joining(","));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LabelSelector s && s.requirements.equals(requirements);
  }

  @Override
  public int hashCode() {
    return Objects.hash(requirements);
  }

  /** A small hand-written parser: positions in errors are 1-based columns of the selector text. */
  private static final class Parser {
    private final String src;
    private int pos;

    Parser(String src) {
      this.src = src;
    }

    List<Requirement> parse() {
      List<Requirement> out = new ArrayList<>();
      while (true) {
        skipSpace();
        out.add(requirement());
        skipSpace();
        if (pos == src.length()) return out;
        expect(',');
      }
    }

    private Requirement requirement() {
      if (peek() == '!') {
        pos++;
        skipSpace();
        String key = key();
        return new Requirement(key, Operator.DOES_NOT_EXIST, List.of());
      }
      String key = key();
      skipSpace();
      if (pos == src.length() || peek() == ',')
        return new Requirement(key, Operator.EXISTS, List.of());
      if (src.startsWith("==", pos)) {
        pos += 2;
        return new Requirement(key, Operator.EQUALS, List.of(value()));
      }
      if (src.startsWith("!=", pos)) {
        pos += 2;
        return new Requirement(key, Operator.NOT_EQUALS, List.of(value()));
      }
      if (peek() == '=') {
        pos++;
        return new Requirement(key, Operator.EQUALS, List.of(value()));
      }
      if (peek() == '>' || peek() == '<') {
        Operator op = peek() == '>' ? Operator.GREATER_THAN : Operator.LESS_THAN;
        pos++;
        int at = pos;
        String value = value().trim();
        if (!value.matches("-?\\d{1,18}"))
          throw new SelectorSyntaxException(
              src, "'" + (op == Operator.GREATER_THAN ? ">" : "<") + "' needs an integer", at + 1);
        return new Requirement(key, op, List.of(value));
      }
      if (word("notin")) return new Requirement(key, Operator.NOT_IN, set());
      if (word("in")) return new Requirement(key, Operator.IN, set());
      throw error("expected an operator (=, ==, !=, >, <, in, notin) or ','");
    }

    private boolean word(String w) {
      if (src.startsWith(w, pos)) {
        int end = pos + w.length();
        if (end == src.length()
            || Character.isWhitespace(src.charAt(end))
            || src.charAt(end) == '(') {
          pos = end;
          return true;
        }
      }
      return false;
    }

    private List<String> set() {
      skipSpace();
      expect('(');
      List<String> values = new ArrayList<>();
      while (true) {
        skipSpace();
        values.add(value());
        skipSpace();
        if (peek() == ')') {
          pos++;
          return values;
        }
        if (pos == src.length()) throw error("expected ')'");
        expect(',');
      }
    }

    private String key() {
      int start = pos;
      while (pos < src.length() && isKeyChar(src.charAt(pos))) pos++;
      String key = src.substring(start, pos);
      if (key.isEmpty()) throw error("expected a label key");
      LabelValidation.validateKey(key)
          .ifPresent(
              e -> {
                throw new SelectorSyntaxException(src, e, start + 1);
              });
      return key;
    }

    private String value() {
      skipSpace();
      int start = pos;
      while (pos < src.length() && isValueChar(src.charAt(pos))) pos++;
      String value = src.substring(start, pos);
      LabelValidation.validateValue(value)
          .ifPresent(
              e -> {
                throw new SelectorSyntaxException(src, e, start + 1);
              });
      return value;
    }

    private static boolean isKeyChar(char c) {
      return Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.' || c == '/';
    }

    private static boolean isValueChar(char c) {
      return Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.';
    }

    private char peek() {
      return pos < src.length() ? src.charAt(pos) : 0;
    }

    private void skipSpace() {
      while (pos < src.length() && Character.isWhitespace(src.charAt(pos))) pos++;
    }

    private void expect(char c) {
      if (peek() != c) throw error("expected '" + c + "'");
      pos++;
    }

    private SelectorSyntaxException error(String what) {
      return new SelectorSyntaxException(src, what, pos + 1);
    }
  }
}
