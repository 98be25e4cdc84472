package io.division.core.condition;

import com.fasterxml.jackson.databind.JsonNode;
import io.division.core.DivisionException;
import io.division.core.jsonpath.JsonPathTemplate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

/**
 * The condition language of {@code div wait}: the jsonql-style expressions the original project
 * used ({@code status.phase = 'Approved'}, {@code status.phase ~= 'Done.*'}, {@code and}, {@code
 * or}, {@code not}, comparisons, parentheses) and kubectl's {@code --for} forms.
 *
 * <p>Semantics: {@code =} compares numbers numerically and other scalars by text; {@code !=} is its
 * negation for a field that is present (a missing field is not {@code != 'x'}, as in the original);
 * {@code = null} holds for a missing or null field; {@code is defined} / {@code isnot defined} test
 * presence, {@code is null} / {@code isnot null} a present field's null; {@code ~=} is a
 * regular-expression search, unanchored like the original's Go regexp (use {@code ^...$} to
 * anchor), {@code !~=} its negation on a present value; ordering comparisons hold only between two
 * numbers or two strings. A bare path holds when the field exists and is not false, null or empty.
 *
 * <p>Over 400 lines because the tokenizer, parser and evaluator of one small language belong
 * together; splitting them would spread one grammar over several files.
 */
public final class Conditions {
  private Conditions() {}

  public static Condition parseExpression(String expression) {
    if (expression == null || expression.isBlank()) {
      throw new ConditionSyntaxException(String.valueOf(expression), "the expression is empty", 0);
    }
    Parser p = new Parser(expression);
    Node node = p.expression();
    if (p.peek().type != TokenType.END)
      throw p.error("unexpected " + p.peek().describe(), p.peek());
    return new Expression(node);
  }

  public static Condition allOf(List<Condition> conditions) {
    List<Condition> all = List.copyOf(conditions);
    return new Condition() {
      @Override
      public boolean test(JsonNode resource) {
        return all.stream().allMatch(c -> c.test(resource));
      }

      @Override
      public String describe() {
        return all.stream().map(Condition::describe).collect(Collectors.joining(" and "));
      }
    };
  }

  /**
   * kubectl's {@code --for} forms other than delete and create: {@code condition=Ready}, {@code
   * condition=Ready=False}, {@code jsonpath='{.status.phase}'=Done} (braces and quotes optional;
   * without {@code =VALUE}, the field must exist and be non-empty). As kubectl does, a path that
   * can select several values, and an empty value after {@code =}, are rejected here, before any
   * waiting.
   */
  public static Condition parseFor(String form) {
    String f = form.trim();
    String lower = f.toLowerCase(Locale.ROOT);
    if (lower.startsWith("condition=")) {
      String rest = f.substring("condition=".length());
      String[] parts = rest.split("=", 2);
      if (parts[0].isBlank())
        throw forError(form, "condition= needs a condition type, e.g. condition=Ready");
      String status = parts.length > 1 ? unquote(parts[1]) : "True";
      if (status.isEmpty()) throw forError(form, "the condition status after '=' is empty");
      return new ConditionStatus(parts[0], status);
    }
    if (lower.startsWith("jsonpath=")) {
      String rest = f.substring("jsonpath=".length()).trim();
      String path;
      String after;
      if (rest.startsWith("'") || rest.startsWith("\"")) {
        int close = rest.indexOf(rest.charAt(0), 1);
        if (close < 0) throw forError(form, "unterminated quote");
        path = rest.substring(1, close).trim();
        after = rest.substring(close + 1);
      } else {
        int end = endOfPath(rest);
        path = rest.substring(0, end).trim();
        after = rest.substring(end);
      }
      if (path.startsWith("{")) {
        if (!path.endsWith("}")) throw forError(form, "unclosed '{' in the jsonpath");
        path = path.substring(1, path.length() - 1).trim();
      }
      if (path.isEmpty()) throw forError(form, "the jsonpath is empty");
      if (!path.startsWith(".") && !path.startsWith("$") && !path.startsWith("[")) {
        path = "." + path;
      }
      String value = null;
      if (after.startsWith("=")) {
        value = unquote(after.substring(1));
        if (value.isEmpty())
          throw forError(form, "the value after '=' is empty (an unset shell variable?)");
        if (value.startsWith("{") || value.startsWith("["))
          throw forError(form, "a jsonpath can only be compared with a value, not an object");
      } else if (!after.isBlank()) {
        throw forError(form, "expected '=' after the jsonpath");
      }
      String many = multiValued(path);
      if (many != null)
        throw forError(
            form, "the jsonpath can select several values (" + many + "); name one field");
      try {
        JsonPathTemplate.select(
            com.fasterxml.jackson.databind.node.MissingNode.getInstance(), path);
      } catch (IllegalArgumentException | DivisionException e) {
        throw forError(form, e.getMessage());
      }
      return new JsonPathEquals(form.trim(), "{" + path + "}", value);
    }
    throw forError(
        form, "expected condition=TYPE[=STATUS], jsonpath='{PATH}'[=VALUE], delete or create");
  }

  /** Where a jsonpath without braces ends: the first '=' outside brackets and quotes. */
  private static int endOfPath(String s) {
    int depth = 0;
    char quote = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (quote != 0) {
        if (c == quote) quote = 0;
      } else if (c == '\'' || c == '"') {
        quote = c;
      } else if (c == '[' || c == '{' || c == '(') {
        depth++;
      } else if (c == ']' || c == '}' || c == ')') {
        depth--;
      } else if (c == '=' && depth == 0) {
        return i;
      }
    }
    return s.length();
  }

  /** What makes a path select several values (a wildcard, a filter, a slice...), or null. */
  private static String multiValued(String path) {
    char quote = 0;
    int depth = 0;
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (quote != 0) {
        if (c == quote) quote = 0;
        continue;
      }
      if (c == '\'' || c == '"') quote = c;
      else if (c == '[') depth++;
      else if (c == ']') depth--;
      else if (c == '*') return "a wildcard";
      else if (c == '?' && depth > 0) return "a filter";
      else if ((c == ':' || c == ',') && depth > 0) return c == ':' ? "a slice" : "a union";
      else if (c == '.' && i + 1 < path.length() && path.charAt(i + 1) == '.')
        return "recursive descent";
    }
    return null;
  }

  /** Names the form as given ({@code jsonpath=...}), in no front end's terms. */
  private static ConditionSyntaxException forError(String form, String why) {
    return new ConditionSyntaxException(form.trim(), why, 0);
  }

  private static String unquote(String s) {
    String t = s.trim();
    if (t.length() >= 2
        && (t.startsWith("'") && t.endsWith("'") || t.startsWith("\"") && t.endsWith("\""))) {
      return t.substring(1, t.length() - 1);
    }
    return t;
  }

  // --- kubectl forms -------------------------------------------------------------------------

  /**
   * As kubectl: a condition whose {@code observedGeneration} is older than the resource's {@code
   * metadata.generation} describes an earlier spec, so it does not count.
   */
  private record ConditionStatus(String type, String status) implements Condition {
    @Override
    public boolean test(JsonNode resource) {
      JsonNode generation = resource.path("metadata").path("generation");
      for (JsonNode c : resource.path("status").path("conditions")) {
        if (!c.path("type").asText().equalsIgnoreCase(type)) continue;
        JsonNode observed = c.path("observedGeneration");
        if (observed.isNumber()
            && generation.isNumber()
            && observed.asLong() < generation.asLong()) {
          return false;
        }
        return c.path("status").asText().equalsIgnoreCase(status);
      }
      return false;
    }

    @Override
    public String describe() {
      return "condition " + type + "=" + status;
    }
  }

  /**
   * kubectl's jsonpath wait: one scalar value, compared as text. A path that meets an object or a
   * list cannot be compared: that is an error (INVALID), not a wait without end.
   */
  private record JsonPathEquals(String form, String path, String value) implements Condition {
    @Override
    public boolean test(JsonNode resource) {
      List<JsonNode> found = JsonPathTemplate.select(resource, path);
      if (found.isEmpty()) return false;
      if (found.size() > 1 || !found.get(0).isValueNode()) {
        throw DivisionException.invalid(
            "invalid condition \""
                + form
                + "\": "
                + path
                + (found.size() > 1 ? " selects several values" : " is an object or a list")
                + "; it can only be compared with a single value");
      }
      JsonNode v = found.get(0);
      if (v.isNull()) return false;
      String text = JsonPathTemplate.text(v);
      return value == null ? !text.isEmpty() : text.equals(value);
    }

    @Override
    public String describe() {
      return "jsonpath " + path + (value == null ? "" : "=" + value);
    }
  }

  // --- the expression language ---------------------------------------------------------------

  private record Expression(Node root) implements Condition {
    @Override
    public boolean test(JsonNode resource) {
      return root.holds(resource);
    }

    @Override
    public String describe() {
      return root.text();
    }
  }

  private sealed interface Node permits And, Or, Not, Compare, Truthy, Is {
    boolean holds(JsonNode r);

    String text();
  }

  private record And(Node left, Node right) implements Node {
    public boolean holds(JsonNode r) {
      return left.holds(r) && right.holds(r);
    }

    public String text() {
      return wrap(left, this) + " and " + wrap(right, this);
    }
  }

  private record Or(Node left, Node right) implements Node {
    public boolean holds(JsonNode r) {
      return left.holds(r) || right.holds(r);
    }

    public String text() {
      return left.text() + " or " + right.text();
    }
  }

  private record Not(Node inner) implements Node {
    public boolean holds(JsonNode r) {
      return !inner.holds(r);
    }

    public String text() {
      return "not "
          + (inner instanceof Compare || inner instanceof Truthy || inner instanceof Is
              ? inner.text()
              : "(" + inner.text() + ")");
    }
  }

  private static String wrap(Node child, Node parent) {
    return child instanceof Or && parent instanceof And ? "(" + child.text() + ")" : child.text();
  }

  /** A path or a literal. */
  private sealed interface Operand permits PathOperand, Literal {
    JsonNode value(JsonNode r);

    String text();
  }

  private record PathOperand(String path) implements Operand {
    public JsonNode value(JsonNode r) {
      List<JsonNode> found = JsonPathTemplate.select(r, path);
      return found.isEmpty() ? null : found.get(0);
    }

    public String text() {
      return path;
    }
  }

  private record Literal(JsonNode node) implements Operand {
    public JsonNode value(JsonNode r) {
      return node;
    }

    public String text() {
      return node.isTextual()
          ? "'" + node.asText().replace("\\", "\\\\").replace("'", "\\'") + "'"
          : node.toString();
    }
  }

  private record Truthy(Operand operand) implements Node {
    public boolean holds(JsonNode r) {
      JsonNode v = operand.value(r);
      if (v == null || v.isNull() || v.isMissingNode()) return false;
      if (v.isBoolean()) return v.asBoolean();
      if (v.isTextual()) return !v.asText().isEmpty();
      return true;
    }

    public String text() {
      return operand.text();
    }
  }

  /**
   * The original's {@code is defined}, {@code isnot defined}, {@code is null}, {@code isnot null}:
   * "defined" means the field is present (even with the value null); "null" means present and null.
   */
  private record Is(Operand operand, boolean negated, String what) implements Node {
    public boolean holds(JsonNode r) {
      JsonNode v = operand.value(r);
      boolean present = v != null && !v.isMissingNode();
      if (what.equals("defined")) return present != negated;
      return present && (v.isNull() != negated);
    }

    public String text() {
      return operand.text() + (negated ? " isnot " : " is ") + what;
    }
  }

  /**
   * A comparison. {@code !=} and {@code !~=} need the field to be present, as in the original: a
   * missing field is not "different from 'x'", it is not there yet (say {@code isnot defined or
   * ...} to include it).
   */
  private record Compare(Operand left, String op, Operand right, Pattern regex) implements Node {
    public boolean holds(JsonNode r) {
      JsonNode a = left.value(r);
      JsonNode b = right.value(r);
      return switch (op) {
        case "=" -> equal(a, b);
        case "!=" -> a != null && b != null && !equal(a, b);
        case "~=" ->
            a != null && a.isValueNode() && !a.isNull() && regex.matcher(a.asText()).find();
        case "!~=" ->
            a != null && a.isValueNode() && !a.isNull() && !regex.matcher(a.asText()).find();
        default -> order(a, b);
      };
    }

    private static boolean isNull(JsonNode n) {
      return n == null || n.isNull() || n.isMissingNode();
    }

    private static boolean equal(JsonNode a, JsonNode b) {
      if (isNull(a) || isNull(b)) return isNull(a) && isNull(b);
      if (a.isNumber() && b.isNumber()) return a.decimalValue().compareTo(b.decimalValue()) == 0;
      if (a.isValueNode() && b.isValueNode()) return a.asText().equals(b.asText());
      return a.equals(b);
    }

    private boolean order(JsonNode a, JsonNode b) {
      if (isNull(a) || isNull(b)) return false;
      int c;
      if (a.isNumber() && b.isNumber()) c = a.decimalValue().compareTo(b.decimalValue());
      else if (a.isTextual() && b.isTextual()) c = a.asText().compareTo(b.asText());
      else return false;
      return switch (op) {
        case "<" -> c < 0;
        case "<=" -> c <= 0;
        case ">" -> c > 0;
        default -> c >= 0;
      };
    }

    public String text() {
      return left.text() + " " + op + " " + right.text();
    }
  }

  private enum TokenType {
    PATH,
    STRING,
    NUMBER,
    KEYWORD,
    OP,
    LPAREN,
    RPAREN,
    END
  }

  private record Token(TokenType type, String text, int column) {
    String describe() {
      return type == TokenType.END ? "end of expression" : "'" + text + "'";
    }
  }

  private static final class Parser {
    private final String src;
    private final List<Token> tokens;
    private int at;

    Parser(String src) {
      this.src = src;
      this.tokens = tokenize(src);
    }

    Token peek() {
      return tokens.get(at);
    }

    private Token next() {
      return tokens.get(at++);
    }

    private boolean keyword(String... words) {
      Token t = peek();
      if (t.type == TokenType.KEYWORD) for (String w : words) if (t.text.equals(w)) return true;
      if (t.type == TokenType.OP) for (String w : words) if (t.text.equals(w)) return true;
      return false;
    }

    Node expression() {
      Node left = and();
      while (keyword("or", "||")) {
        next();
        left = new Or(left, and());
      }
      return left;
    }

    private Node and() {
      Node left = unary();
      while (keyword("and", "&&")) {
        next();
        left = new And(left, unary());
      }
      return left;
    }

    private Node unary() {
      if (keyword("not", "!")) {
        next();
        return new Not(unary());
      }
      if (peek().type == TokenType.LPAREN) {
        next();
        Node inner = expression();
        if (peek().type != TokenType.RPAREN) throw error("expected ')'", peek());
        next();
        return inner;
      }
      Operand left = operand();
      if (keyword("is", "isnot")) {
        Token is = next();
        Token what = peek();
        if (what.type != TokenType.KEYWORD
            || !(what.text.equals("defined") || what.text.equals("null"))) {
          throw error("expected 'defined' or 'null' after '" + is.text + "'", what);
        }
        next();
        if (!(left instanceof PathOperand))
          throw error("'" + is.text + "' needs a field on its left", is);
        return new Is(left, is.text.equals("isnot"), what.text);
      }
      Token op = peek();
      if (op.type != TokenType.OP
          || op.text.equals("!")
          || op.text.equals("&&")
          || op.text.equals("||")) {
        if (left instanceof PathOperand) return new Truthy(left);
        throw error("expected a comparison operator after " + left.text(), op);
      }
      next();
      if (peek().type == TokenType.END) throw error("expected a value", peek());
      Operand right = operand();
      String normalized = op.text.equals("==") ? "=" : op.text;
      Pattern regex = null;
      if (normalized.equals("~=") || normalized.equals("!~=")) {
        if (!(right instanceof Literal l) || !l.node().isTextual())
          throw error(normalized + " needs a quoted regular expression", op);
        try {
          regex = Pattern.compile(l.node().asText());
        } catch (PatternSyntaxException e) {
          throw error("invalid regular expression: " + e.getDescription(), op);
        }
      }
      return new Compare(left, normalized, right, regex);
    }

    private Operand operand() {
      Token t = next();
      return switch (t.type) {
        case PATH -> new PathOperand(t.text);
        case STRING -> new Literal(com.fasterxml.jackson.databind.node.TextNode.valueOf(t.text));
        case NUMBER ->
            new Literal(
                com.fasterxml.jackson.databind.node.DecimalNode.valueOf(
                    new java.math.BigDecimal(t.text)));
        case KEYWORD ->
            switch (t.text) {
              case "true" -> new Literal(com.fasterxml.jackson.databind.node.BooleanNode.TRUE);
              case "false" -> new Literal(com.fasterxml.jackson.databind.node.BooleanNode.FALSE);
              case "null" -> new Literal(com.fasterxml.jackson.databind.node.NullNode.instance);
              default -> throw error("expected a value", t);
            };
        default ->
            throw error(
                t.type == TokenType.END
                    ? "expected a value"
                    : "expected a field or a value, found " + t.describe(),
                t);
      };
    }

    ConditionSyntaxException error(String what, Token at) {
      return new ConditionSyntaxException(src, what, at.column);
    }

    private List<Token> tokenize(String s) {
      List<Token> out = new ArrayList<>();
      int i = 0;
      while (i < s.length()) {
        char c = s.charAt(i);
        int col = i + 1;
        if (Character.isWhitespace(c)) {
          i++;
        } else if (c == '(') {
          out.add(new Token(TokenType.LPAREN, "(", col));
          i++;
        } else if (c == ')') {
          out.add(new Token(TokenType.RPAREN, ")", col));
          i++;
        } else if (c == '\'' || c == '"') {
          StringBuilder sb = new StringBuilder();
          int j = i + 1;
          while (j < s.length() && s.charAt(j) != c) {
            if (s.charAt(j) == '\\' && j + 1 < s.length()) j++;
            sb.append(s.charAt(j++));
          }
          if (j >= s.length()) throw new ConditionSyntaxException(s, "unterminated string", col);
          out.add(new Token(TokenType.STRING, sb.toString(), col));
          i = j + 1;
        } else if (Character.isDigit(c)
            || (c == '-' && i + 1 < s.length() && Character.isDigit(s.charAt(i + 1)))) {
          int j = i + 1;
          while (j < s.length() && (Character.isDigit(s.charAt(j)) || s.charAt(j) == '.')) j++;
          String num = s.substring(i, j);
          if (!num.matches("-?\\d+(\\.\\d+)?"))
            throw new ConditionSyntaxException(s, "invalid number " + num, col);
          out.add(new Token(TokenType.NUMBER, num, col));
          i = j;
        } else if (Character.isLetter(c) || c == '_' || c == '.' || c == '$' || c == '@') {
          int j = i;
          while (j < s.length()) {
            char d = s.charAt(j);
            if (Character.isLetterOrDigit(d)
                || d == '_'
                || d == '-'
                || d == '.'
                || d == '$'
                || d == '@'
                || d == '/') {
              j++;
            } else if (d == '[') {
              int close = s.indexOf(']', j);
              if (close < 0) throw new ConditionSyntaxException(s, "unclosed '['", j + 1);
              j = close + 1;
            } else {
              break;
            }
          }
          String word = s.substring(i, j);
          String lower = word.toLowerCase(Locale.ROOT);
          if (List.of("and", "or", "not", "true", "false", "null", "is", "isnot", "defined")
              .contains(lower)) {
            out.add(new Token(TokenType.KEYWORD, lower, col));
          } else {
            try {
              JsonPathTemplate.select(
                  com.fasterxml.jackson.databind.node.MissingNode.getInstance(), word);
            } catch (IllegalArgumentException | DivisionException e) {
              throw new ConditionSyntaxException(s, "invalid path " + word, col);
            }
            out.add(new Token(TokenType.PATH, word, col));
          }
          i = j;
        } else {
          String two = i + 1 < s.length() ? s.substring(i, i + 2) : "";
          if (s.startsWith("!~=", i)) {
            out.add(new Token(TokenType.OP, "!~=", col));
            i += 3;
          } else if (List.of("==", "!=", "~=", "<=", ">=", "&&", "||").contains(two)) {
            out.add(new Token(TokenType.OP, two, col));
            i += 2;
          } else if ("=<>!".indexOf(c) >= 0) {
            out.add(new Token(TokenType.OP, String.valueOf(c), col));
            i++;
          } else {
            throw new ConditionSyntaxException(s, "unexpected character '" + c + "'", col);
          }
        }
      }
      out.add(new Token(TokenType.END, "", s.length() + 1));
      return out;
    }
  }
}
