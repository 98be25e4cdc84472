package io.division.core.jsonpath;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.division.core.DivisionException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the inside of one kubectl JSONPath action ({@code .a.b[0]}, {@code ..name}, {@code
 * [?(@.type=="Ready")]}, {@code "text"}, ...) the way client-go's parser reads it, so that what
 * kubectl accepts is accepted and what it rejects is rejected with a message.
 */
final class JsonPathParser {
  /** One step of a path. */
  sealed interface Step
      permits Field, QuotedKey, Wildcard, Recursive, Slice, Union, Filter, Root, Current {}

  record Field(String name) implements Step {}

  /**
   * {@code ['a.b']}: the key itself if present, else kubectl's reading as the path {@code .a.b}.
   */
  record QuotedKey(String key, List<Step> asPath) implements Step {}

  record Wildcard() implements Step {}

  record Recursive() implements Step {}

  /** {@code [i]} (index), {@code [a:b:c]}; null bounds are open. */
  record Slice(Integer start, Integer end, Integer step, boolean index) implements Step {}

  record Union(List<Expression> alternatives) implements Step {}

  /** {@code [?(left OP right)]}; op "exists" when there is no comparison. */
  record Filter(Expression left, String op, Expression right) implements Step {}

  /** {@code $}: back to the document's root. */
  record Root() implements Step {}

  /** {@code @}: the current value. */
  record Current() implements Step {}

  /** An action: a literal (string, number, boolean) or a path. */
  record Expression(JsonNode literal, List<Step> steps) {
    boolean isLiteral() {
      return literal != null;
    }
  }

  private static final Pattern FILTER = Pattern.compile("^([^!<>=]+)([!<>=]+)(.+?)$");
  private static final Pattern SLICE = Pattern.compile("^(-?\\d*)(:-?\\d*)?(:-?\\d*)?$");

  private final String src;
  private final String whole;
  private int pos;

  private JsonPathParser(String src, String whole) {
    this.src = src;
    this.whole = whole;
  }

  /** Parses an action's text; {@code whole} is the full template, for messages. */
  static Expression expression(String text, String whole) {
    return new JsonPathParser(text, whole).expression();
  }

  DivisionException error(String what) {
    return DivisionException.invalid("invalid jsonpath \"" + whole + "\": " + what);
  }

  private Expression expression() {
    List<Step> steps = new ArrayList<>();
    JsonNode literal = null;
    while (pos < src.length()) {
      char c = src.charAt(pos);
      if (Character.isWhitespace(c)) {
        pos++;
      } else if (literal != null) {
        throw error("unexpected \"" + src.substring(pos) + "\" after a literal");
      } else if (c == '$') {
        if (!steps.isEmpty()) throw error("'$' in the middle of a path");
        steps.add(new Root());
        pos++;
      } else if (c == '@') {
        if (!steps.isEmpty()) throw error("'@' in the middle of a path");
        steps.add(new Current());
        pos++;
      } else if (c == '.') {
        pos++;
        if (pos < src.length() && src.charAt(pos) == '.') {
          pos++;
          steps.add(new Recursive());
        }
        String name = fieldName();
        if (name.equals("*")) steps.add(new Wildcard());
        else if (!name.isEmpty()) steps.add(new Field(name));
      } else if (c == '[') {
        steps.add(bracket());
      } else if (c == '"' || c == '\'') {
        if (!steps.isEmpty()) throw error("a string cannot follow a path");
        literal = TextNode.valueOf(quoted(c));
      } else if (c == '-' || Character.isDigit(c)) {
        if (!steps.isEmpty()) throw error("a number cannot follow a path");
        literal = number();
      } else if (Character.isLetter(c)) {
        int start = pos;
        while (pos < src.length() && Character.isLetterOrDigit(src.charAt(pos))) pos++;
        String word = src.substring(start, pos);
        if (!steps.isEmpty() || !(word.equals("true") || word.equals("false")))
          throw error(
              "unrecognized identifier " + word + " (paths start with '.', e.g. {." + word + "})");
        literal = BooleanNode.valueOf(word.equals("true"));
      } else {
        throw error("unrecognized character '" + c + "' at \"" + src.substring(pos) + "\"");
      }
    }
    return new Expression(literal, List.copyOf(steps));
  }

  /** kubectl's field names end at a space or one of {@code . , [ ] $ @ { }}; '\' escapes. */
  private String fieldName() {
    StringBuilder name = new StringBuilder();
    while (pos < src.length()) {
      char c = src.charAt(pos);
      if (c == '\\' && pos + 1 < src.length()) {
        name.append(src.charAt(pos + 1));
        pos += 2;
        continue;
      }
      if (Character.isWhitespace(c) || ".,[]$@{}".indexOf(c) >= 0) break;
      name.append(c);
      pos++;
    }
    return name.toString();
  }

  private String quoted(char quote) {
    StringBuilder sb = new StringBuilder();
    pos++;
    while (pos < src.length()) {
      char c = src.charAt(pos++);
      if (c == quote) return sb.toString();
      if (c == '\\' && pos < src.length()) {
        char e = src.charAt(pos++);
        switch (e) {
          case 'n' -> sb.append('\n');
          case 't' -> sb.append('\t');
          case 'r' -> sb.append('\r');
          default -> sb.append(e);
        }
      } else {
        sb.append(c);
      }
    }
    throw error("unterminated string");
  }

  private JsonNode number() {
    int start = pos;
    pos++;
    while (pos < src.length()
        && (Character.isDigit(src.charAt(pos)) || ".eE+-".indexOf(src.charAt(pos)) >= 0)) pos++;
    String text = src.substring(start, pos);
    try {
      if (text.matches("-?\\d+")) return LongNode.valueOf(Long.parseLong(text));
      return DoubleNode.valueOf(Double.parseDouble(text));
    } catch (NumberFormatException e) {
      throw error("invalid number " + text);
    }
  }

  private Step bracket() {
    if (src.startsWith("[?(", pos)) return filter();
    int close = -1;
    char quote = 0;
    for (int i = pos + 1; i < src.length(); i++) {
      char c = src.charAt(i);
      if (quote != 0) {
        if (c == '\\') i++;
        else if (c == quote) quote = 0;
      } else if (c == '\'' || c == '"') {
        quote = c;
      } else if (c == ']') {
        close = i;
        break;
      }
    }
    if (close < 0) throw error("unclosed '['");
    String inside = src.substring(pos + 1, close).trim();
    pos = close + 1;
    return subscript(inside);
  }

  private Step subscript(String inside) {
    List<String> parts = splitOutsideQuotes(inside);
    if (parts.size() > 1) {
      List<Expression> alternatives = new ArrayList<>();
      for (String part : parts) {
        alternatives.add(
            new Expression(null, List.of(new JsonPathParser(part, whole).subscript(part.trim()))));
      }
      return new Union(List.copyOf(alternatives));
    }
    if (inside.equals("*")) return new Wildcard();
    if (inside.length() >= 2
        && (inside.startsWith("'") && inside.endsWith("'")
            || inside.startsWith("\"") && inside.endsWith("\""))) {
      String key = inside.substring(1, inside.length() - 1);
      List<Step> asPath = key.contains(".") ? expression("." + key, whole).steps() : List.of();
      return new QuotedKey(key, asPath);
    }
    Matcher m = SLICE.matcher(inside);
    if (inside.isEmpty() || !m.matches()) {
      throw error(
          "invalid subscript ["
              + inside
              + "] (expected an index, a slice, '*', a 'key' or a filter [?(...)])");
    }
    Integer start = bound(m.group(1));
    if (m.group(2) == null) return new Slice(start, null, null, true);
    Integer end = bound(m.group(2).substring(1));
    Integer step = m.group(3) == null ? null : bound(m.group(3).substring(1));
    if (step != null && step <= 0) throw error("the step of [" + inside + "] must be > 0");
    return new Slice(start, end, step, false);
  }

  private static Integer bound(String s) {
    return s == null || s.isEmpty() || s.equals("-") ? null : Integer.valueOf(s);
  }

  private static List<String> splitOutsideQuotes(String s) {
    List<String> parts = new ArrayList<>();
    char quote = 0;
    int start = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (quote != 0) {
        if (c == quote) quote = 0;
      } else if (c == '\'' || c == '"') {
        quote = c;
      } else if (c == ',') {
        parts.add(s.substring(start, i));
        start = i + 1;
      }
    }
    parts.add(s.substring(start));
    return parts;
  }

  private Step filter() {
    int start = pos + 3;
    char quote = 0;
    int depth = 1;
    int i = start;
    for (; i < src.length(); i++) {
      char c = src.charAt(i);
      if (quote != 0) {
        if (c == '\\') i++;
        else if (c == quote) quote = 0;
      } else if (c == '\'' || c == '"') {
        quote = c;
      } else if (c == '(') {
        depth++;
      } else if (c == ')' && --depth == 0) {
        break;
      }
    }
    if (i >= src.length()) throw error("unterminated filter [?(");
    if (i + 1 >= src.length() || src.charAt(i + 1) != ']')
      throw error("a filter must end with \")]\"");
    String text = src.substring(start, i).trim();
    pos = i + 2;
    Matcher m = FILTER.matcher(text);
    if (!m.matches()) {
      Expression left = expression(text, whole);
      if (left.isLiteral())
        throw error("filter [?(" + text + ")] must test a path such as @.field");
      return new Filter(left, "exists", null);
    }
    String op = m.group(2);
    if (!List.of("==", "!=", "<", ">", "<=", ">=").contains(op))
      throw error("unrecognized filter operator " + op);
    return new Filter(
        expression(m.group(1).trim(), whole), op, expression(m.group(3).trim(), whole));
  }
}
