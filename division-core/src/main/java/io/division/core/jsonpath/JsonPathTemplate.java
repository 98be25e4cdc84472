package io.division.core.jsonpath;

import com.fasterxml.jackson.databind.JsonNode;
import io.division.core.DivisionException;
import java.util.ArrayList;
import java.util.List;

/**
 * kubectl's JSONPath templates ({@code -o jsonpath=...} and printer columns): literal text, {@code
 * {.a.b[0]}}, {@code [*]}, {@code ['quoted.key']}, escaped dots ({@code app\.kubernetes\.io}),
 * {@code {range ...}...{end}}, and string literals such as {@code {"\n"}}. Several results are
 * joined with a space, as kubectl does.
 */
public final class JsonPathTemplate {
  private sealed interface Part permits Text, Path, Range {}

  private record Text(String text) implements Part {}

  private record Path(List<Step> steps) implements Part {}

  private record Range(List<Step> steps, List<Part> body) implements Part {}

  /** A field name, an index, or a wildcard ([*] or .*). */
  private record Step(String field, Integer index, boolean wildcard) {}

  private final String source;
  private final List<Part> parts;

  private JsonPathTemplate(String source, List<Part> parts) {
    this.source = source;
    this.parts = parts;
  }

  public static JsonPathTemplate parse(String template) {
    Parser p = new Parser(template);
    List<Part> parts = p.parts(false);
    return new JsonPathTemplate(template, parts);
  }

  /** Evaluates a single path expression like {@code .status.phase} (braces optional). */
  public static List<JsonNode> select(JsonNode root, String path) {
    String p = path.trim();
    if (p.startsWith("{") && p.endsWith("}")) p = p.substring(1, p.length() - 1);
    List<JsonNode> out = new ArrayList<>();
    collect(root, Parser.steps(p, path), 0, out);
    return out;
  }

  public String render(JsonNode root) {
    StringBuilder sb = new StringBuilder();
    render(parts, root, root, sb);
    return sb.toString();
  }

  @Override
  public String toString() {
    return source;
  }

  private static void render(List<Part> parts, JsonNode root, JsonNode current, StringBuilder sb) {
    for (Part part : parts) {
      if (part instanceof Text t) {
        sb.append(t.text());
      } else if (part instanceof Path p) {
        List<JsonNode> values = new ArrayList<>();
        collect(current, p.steps(), 0, values);
        for (int i = 0; i < values.size(); i++) {
          if (i > 0) sb.append(' ');
          sb.append(text(values.get(i)));
        }
      } else if (part instanceof Range r) {
        List<JsonNode> items = new ArrayList<>();
        collect(current, r.steps(), 0, items);
        for (JsonNode item : items) {
          if (item.isArray()) {
            for (JsonNode element : item) render(r.body(), root, element, sb);
          } else {
            render(r.body(), root, item, sb);
          }
        }
      }
    }
  }

  /** Scalars print bare; objects and arrays as compact JSON, as kubectl prints them. */
  public static String text(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) return "";
    if (node.isValueNode()) return node.asText();
    return node.toString();
  }

  private static void collect(JsonNode node, List<Step> steps, int at, List<JsonNode> out) {
    if (node == null || node.isMissingNode()) return;
    if (at == steps.size()) {
      out.add(node);
      return;
    }
    Step step = steps.get(at);
    if (step.wildcard()) {
      if (node.isArray() || node.isObject()) {
        for (JsonNode child : node) collect(child, steps, at + 1, out);
      }
    } else if (step.index() != null) {
      if (node.isArray()) {
        int i = step.index() < 0 ? node.size() + step.index() : step.index();
        if (i >= 0 && i < node.size()) collect(node.get(i), steps, at + 1, out);
      }
    } else if (node.isObject()) {
      JsonNode child = node.get(step.field());
      if (child != null) collect(child, steps, at + 1, out);
    }
  }

  private static final class Parser {
    private final String src;
    private int pos;

    Parser(String src) {
      this.src = src;
    }

    List<Part> parts(boolean inRange) {
      List<Part> parts = new ArrayList<>();
      StringBuilder text = new StringBuilder();
      while (pos < src.length()) {
        char c = src.charAt(pos);
        if (c != '{') {
          text.append(c);
          pos++;
          continue;
        }
        int close = findClose(pos);
        String inner = src.substring(pos + 1, close).trim();
        pos = close + 1;
        if (inner.equals("end")) {
          if (!inRange) throw error("{end} without {range}");
          if (text.length() > 0) parts.add(new Text(text.toString()));
          return parts;
        }
        if (text.length() > 0) {
          parts.add(new Text(text.toString()));
          text.setLength(0);
        }
        if (inner.startsWith("range ")) {
          List<Step> steps = steps(inner.substring(6).trim(), src);
          parts.add(new Range(steps, parts(true)));
        } else if (inner.startsWith("\"") && inner.endsWith("\"") && inner.length() >= 2) {
          parts.add(new Text(unescape(inner.substring(1, inner.length() - 1))));
        } else {
          parts.add(new Path(steps(inner, src)));
        }
      }
      if (inRange) throw error("{range} without {end}");
      if (text.length() > 0) parts.add(new Text(text.toString()));
      return parts;
    }

    private int findClose(int open) {
      boolean quoted = false;
      for (int i = open + 1; i < src.length(); i++) {
        char c = src.charAt(i);
        if (c == '"' || c == '\'') quoted = !quoted;
        else if (c == '}' && !quoted) return i;
      }
      throw error("unclosed '{' at position " + (open + 1));
    }

    private DivisionException error(String what) {
      return DivisionException.invalid("invalid jsonpath template \"" + src + "\": " + what);
    }

    private static String unescape(String s) {
      return s.replace("\\n", "\n")
          .replace("\\t", "\t")
          .replace("\\\"", "\"")
          .replace("\\\\", "\\");
    }

    static List<Step> steps(String expr, String whole) {
      List<Step> steps = new ArrayList<>();
      String e = expr;
      if (e.startsWith("$") || e.startsWith("@")) e = e.substring(1);
      int i = 0;
      while (i < e.length()) {
        char c = e.charAt(i);
        if (c == '.') {
          i++;
          if (i < e.length() && e.charAt(i) == '*') {
            steps.add(new Step(null, null, true));
            i++;
            continue;
          }
          StringBuilder name = new StringBuilder();
          while (i < e.length() && e.charAt(i) != '.' && e.charAt(i) != '[') {
            if (e.charAt(i) == '\\' && i + 1 < e.length()) i++;
            name.append(e.charAt(i++));
          }
          if (name.length() > 0) steps.add(new Step(name.toString(), null, false));
        } else if (c == '[') {
          int close = e.indexOf(']', i);
          if (close < 0)
            throw DivisionException.invalid("invalid jsonpath \"" + whole + "\": unclosed '['");
          String inside = e.substring(i + 1, close).trim();
          if (inside.equals("*")) {
            steps.add(new Step(null, null, true));
          } else if ((inside.startsWith("'") && inside.endsWith("'"))
              || (inside.startsWith("\"") && inside.endsWith("\""))) {
            steps.add(new Step(inside.substring(1, inside.length() - 1), null, false));
          } else {
            try {
              steps.add(new Step(null, Integer.parseInt(inside), false));
            } catch (NumberFormatException ex) {
              throw DivisionException.invalid(
                  "invalid jsonpath \"" + whole + "\": unsupported subscript [" + inside + "]");
            }
          }
          i = close + 1;
        } else {
          // A leading field without a dot, as in printer columns written "status.phase".
          StringBuilder name = new StringBuilder();
          while (i < e.length() && e.charAt(i) != '.' && e.charAt(i) != '[') {
            if (e.charAt(i) == '\\' && i + 1 < e.length()) i++;
            name.append(e.charAt(i++));
          }
          steps.add(new Step(name.toString(), null, false));
        }
      }
      return steps;
    }
  }
}
