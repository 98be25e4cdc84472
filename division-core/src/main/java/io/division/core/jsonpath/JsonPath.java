package io.division.core.jsonpath;

import com.fasterxml.jackson.databind.JsonNode;
import io.division.core.DivisionException;
import io.division.core.jsonpath.JsonPathParser.Current;
import io.division.core.jsonpath.JsonPathParser.Expression;
import io.division.core.jsonpath.JsonPathParser.Field;
import io.division.core.jsonpath.JsonPathParser.Filter;
import io.division.core.jsonpath.JsonPathParser.QuotedKey;
import io.division.core.jsonpath.JsonPathParser.Recursive;
import io.division.core.jsonpath.JsonPathParser.Root;
import io.division.core.jsonpath.JsonPathParser.Slice;
import io.division.core.jsonpath.JsonPathParser.Step;
import io.division.core.jsonpath.JsonPathParser.Union;
import io.division.core.jsonpath.JsonPathParser.Wildcard;
import java.util.ArrayList;
import java.util.List;

/**
 * One compiled kubectl JSONPath expression ({@code .a.b}, {@code {.a.b}}, {@code status.phase}):
 * fields, {@code [*]}, {@code ..}, indexes and slices {@code [1:4:2]}, unions {@code [0,2]} and
 * {@code ['a','b']}, quoted keys, and filters {@code [?(@.type=="Ready")]}.
 *
 * <p>A missing field yields nothing, as kubectl's {@code --allow-missing-template-keys} default
 * does. What kubectl reports as an error (an index past the end, an index or filter applied to an
 * object) is an error from {@link #findStrict}; {@link #find} skips such values instead, for
 * printer columns and conditions, where a resource not yet filled in is normal.
 */
public final class JsonPath {
  private final String source;
  private final Expression expression;

  private JsonPath(String source, Expression expression) {
    this.source = source;
    this.expression = expression;
  }

  /**
   * Braces are optional, and so is the leading dot ({@code status.phase}), as in printer columns.
   */
  public static JsonPath compile(String path) {
    String p = path.trim();
    if (p.startsWith("{") && p.endsWith("}")) p = p.substring(1, p.length() - 1).trim();
    if (p.isEmpty()) throw DivisionException.invalid("invalid jsonpath \"" + path + "\": empty");
    if (Character.isLetter(p.charAt(0)) && !p.equals("true") && !p.equals("false")) p = "." + p;
    Expression e = JsonPathParser.expression(p, path);
    if (e.isLiteral())
      throw DivisionException.invalid("invalid jsonpath \"" + path + "\": not a path");
    return new JsonPath(path, e);
  }

  static JsonPath of(String source, Expression expression) {
    return new JsonPath(source, expression);
  }

  /** Every value the path selects; values the path cannot apply to are skipped. */
  public List<JsonNode> find(JsonNode root) {
    return new Evaluation(root, false).values(root, expression);
  }

  /** Every value the path selects; kubectl's evaluation errors are thrown (reason INVALID). */
  public List<JsonNode> findStrict(JsonNode root) {
    return new Evaluation(root, true).values(root, expression);
  }

  @Override
  public String toString() {
    return source;
  }

  private final class Evaluation {
    private final JsonNode root;
    private final boolean strict;

    Evaluation(JsonNode root, boolean strict) {
      this.root = root;
      this.strict = strict;
    }

    List<JsonNode> values(JsonNode current, Expression e) {
      if (e.isLiteral()) return List.of(e.literal());
      List<JsonNode> values = new ArrayList<>();
      if (current != null && !current.isMissingNode()) values.add(current);
      for (Step step : e.steps()) values = apply(step, values);
      return values;
    }

    private DivisionException error(String what) {
      return DivisionException.invalid("jsonpath \"" + source + "\": " + what);
    }

    private List<JsonNode> apply(Step step, List<JsonNode> input) {
      List<JsonNode> out = new ArrayList<>();
      if (step instanceof Union u) {
        // kubectl applies each alternative to every value: all of the first, then the next.
        for (Expression alternative : u.alternatives()) {
          for (JsonNode value : input) out.addAll(values(value, alternative));
        }
        return out;
      }
      for (JsonNode value : input) {
        if (value == null || value.isNull() || value.isMissingNode()) continue;
        if (step instanceof Root) {
          out.add(root);
        } else if (step instanceof Current) {
          out.add(value);
        } else if (step instanceof Field f) {
          if (value.isObject() && value.has(f.name())) out.add(value.get(f.name()));
        } else if (step instanceof QuotedKey q) {
          if (value.isObject() && value.has(q.key())) out.add(value.get(q.key()));
          else if (!q.asPath().isEmpty())
            out.addAll(values(value, new Expression(null, q.asPath())));
        } else if (step instanceof Wildcard) {
          if (value.isContainerNode()) value.forEach(out::add);
        } else if (step instanceof Recursive) {
          descend(value, out);
        } else if (step instanceof Slice s) {
          slice(s, value, out);
        } else if (step instanceof Filter f) {
          filter(f, value, out);
        }
      }
      return out;
    }

    /** kubectl's {@code ..}: the value and every object or list below it, in document order. */
    private void descend(JsonNode value, List<JsonNode> out) {
      if (!value.isContainerNode() || value.isEmpty()) return;
      out.add(value);
      for (JsonNode child : value) descend(child, out);
    }

    private void slice(Slice s, JsonNode value, List<JsonNode> out) {
      String subscript = "[" + describe(s) + "]";
      if (!value.isArray()) {
        if (strict) throw error(subscript + " applies to a list, not to " + kindOf(value));
        return;
      }
      int length = value.size();
      int start = s.start() == null ? 0 : s.start();
      if (start < 0) start += length;
      int end;
      if (s.index()) end = s.start() != null && s.start() == -1 ? length : start + 1;
      else end = s.end() == null ? length : s.end() < 0 ? s.end() + length : s.end();
      if (start == end) return;
      if (start < 0 || start >= length || end < 0 || end > length) {
        if (strict)
          throw error(subscript + " is out of range: the list has " + length + " element(s)");
        start = Math.max(0, start);
        end = Math.min(length, end);
      }
      if (start > end) {
        if (strict) throw error(subscript + ": the start is after the end");
        return;
      }
      int step = s.step() == null ? 1 : s.step();
      for (int i = start; i < end; i += step) out.add(value.get(i));
    }

    private void filter(Filter f, JsonNode value, List<JsonNode> out) {
      if (!value.isArray()) {
        if (strict) throw error("a filter [?(...)] applies to a list, not to " + kindOf(value));
        return;
      }
      for (JsonNode element : value) {
        List<JsonNode> lefts = values(element, f.left());
        if (f.op().equals("exists")) {
          if (!lefts.isEmpty()) out.add(element);
          continue;
        }
        if (lefts.isEmpty()) continue;
        List<JsonNode> rights = values(element, f.right());
        if (rights.isEmpty()) continue;
        if (lefts.size() > 1 || rights.size() > 1) {
          if (strict) throw error("a filter compares one value at a time");
          continue;
        }
        if (compare(f.op(), lefts.get(0), rights.get(0))) out.add(element);
      }
    }

    private boolean compare(String op, JsonNode left, JsonNode right) {
      if (op.equals("==")) return same(left, right);
      if (op.equals("!=")) return !same(left, right);
      int c;
      if (left.isNumber() && right.isNumber()) {
        c = Double.compare(left.asDouble(), right.asDouble());
      } else if (left.isTextual() && right.isTextual()) {
        c = left.asText().compareTo(right.asText());
      } else {
        if (strict)
          throw error("cannot order " + kindOf(left) + " and " + kindOf(right) + " with " + op);
        return false;
      }
      return switch (op) {
        case "<" -> c < 0;
        case ">" -> c > 0;
        case "<=" -> c <= 0;
        default -> c >= 0;
      };
    }

    private static boolean same(JsonNode a, JsonNode b) {
      if (a.isNumber() && b.isNumber()) return a.asDouble() == b.asDouble();
      return a.equals(b);
    }
  }

  static String kindOf(JsonNode value) {
    if (value.isObject()) return "an object";
    if (value.isArray()) return "a list";
    if (value.isTextual()) return "a string";
    if (value.isNumber()) return "a number";
    if (value.isBoolean()) return "a boolean";
    return "null";
  }

  private static String describe(Slice s) {
    if (s.index()) return String.valueOf(s.start());
    return (s.start() == null ? "" : s.start())
        + ":"
        + (s.end() == null ? "" : s.end())
        + (s.step() == null ? "" : ":" + s.step());
  }
}
