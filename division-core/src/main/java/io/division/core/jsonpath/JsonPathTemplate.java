package io.division.core.jsonpath;

import com.fasterxml.jackson.databind.JsonNode;
import io.division.core.DivisionException;
import java.util.ArrayList;
import java.util.List;

/**
 * kubectl's JSONPath templates ({@code -o jsonpath=...}): literal text, actions such as {@code
 * {.a.b[0]}}, {@code {..name}}, {@code {.items[?(@.status.phase=="Done")].metadata.name}}, {@code
 * {range .items[*]}...{end}}, and string literals such as {@code {"\n"}}. Several results are
 * joined with a space, as kubectl does. What kubectl rejects (an unknown identifier, an index past
 * the end of a list, an index into an object) is an error, never empty output.
 */
public final class JsonPathTemplate {
  private sealed interface Part permits Text, Action, Range {}

  private record Text(String text) implements Part {}

  private record Action(JsonPath path, String literal) implements Part {}

  private record Range(JsonPath path, List<Part> body) implements Part {}

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

  /**
   * Evaluates a single path expression like {@code .status.phase} (braces and the leading dot
   * optional), skipping values the path cannot apply to; see {@link JsonPath#find}.
   */
  public static List<JsonNode> select(JsonNode root, String path) {
    return JsonPath.compile(path).find(root);
  }

  /** Renders the template; kubectl's evaluation errors are thrown (reason INVALID). */
  public String render(JsonNode root) {
    StringBuilder sb = new StringBuilder();
    render(parts, root, sb);
    return sb.toString();
  }

  @Override
  public String toString() {
    return source;
  }

  private static void render(List<Part> parts, JsonNode current, StringBuilder sb) {
    for (Part part : parts) {
      if (part instanceof Text t) {
        sb.append(t.text());
      } else if (part instanceof Action a) {
        if (a.literal() != null) {
          sb.append(a.literal());
          continue;
        }
        List<JsonNode> values = a.path().findStrict(current);
        for (int i = 0; i < values.size(); i++) {
          if (i > 0) sb.append(' ');
          sb.append(text(values.get(i)));
        }
      } else if (part instanceof Range r) {
        for (JsonNode item : r.path().findStrict(current)) {
          if (item.isArray()) {
            for (JsonNode element : item) render(r.body(), element, sb);
          } else {
            render(r.body(), item, sb);
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
        if (text.length() > 0) {
          parts.add(new Text(text.toString()));
          text.setLength(0);
        }
        if (inner.equals("end")) {
          if (!inRange) throw error("{end} without {range}");
          return parts;
        }
        if (inner.startsWith("range ") || inner.equals("range")) {
          String path = inner.substring(5).trim();
          if (path.isEmpty()) throw error("{range} needs a path, e.g. {range .items[*]}");
          parts.add(new Range(path(path), parts(true)));
        } else if (inner.isEmpty()) {
          throw error("empty action {}");
        } else {
          JsonPathParser.Expression e = JsonPathParser.expression(inner, src);
          parts.add(
              e.isLiteral()
                  ? new Action(null, text(e.literal()))
                  : new Action(JsonPath.of("{" + inner + "}", e), null));
        }
      }
      if (inRange) throw error("{range} without {end}");
      if (text.length() > 0) parts.add(new Text(text.toString()));
      return parts;
    }

    private JsonPath path(String expr) {
      JsonPathParser.Expression e = JsonPathParser.expression(expr, src);
      if (e.isLiteral()) throw error("{range " + expr + "} needs a path");
      return JsonPath.of("{range " + expr + "}", e);
    }

    /** The '}' that closes the action at {@code open}, skipping quoted text. */
    private int findClose(int open) {
      char quote = 0;
      for (int i = open + 1; i < src.length(); i++) {
        char c = src.charAt(i);
        if (quote != 0) {
          if (c == '\\') i++;
          else if (c == quote) quote = 0;
        } else if (c == '"' || c == '\'') {
          quote = c;
        } else if (c == '}') {
          return i;
        }
      }
      throw error("unclosed '{' at position " + (open + 1));
    }

    private DivisionException error(String what) {
      return DivisionException.invalid("invalid jsonpath template \"" + src + "\": " + what);
    }
  }
}
