package io.division.core.template;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.DefaultMustacheVisitor;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheException;
import com.github.mustachejava.MustacheVisitor;
import com.github.mustachejava.TemplateContext;
import io.division.core.DivisionException;
import io.division.core.model.Json;
import io.division.core.model.Messages;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.Writer;
import java.util.Map;

/**
 * {@code div template}: renders one Mustache template per NDJSON input line. Mustache is logic-less
 * and well kept; its HTML escaping is replaced by YAML's, because the output is YAML or JSON.
 *
 * <p>Data values are data, never YAML: a value that could end its scalar or start another node (a
 * line break, a quote, a flow bracket, {@code ": "}, a leading indicator) lands as one
 * double-quoted scalar (a JSON string, which YAML reads the same); any other value is written as it
 * is, so {@code size: {{size}}} stays a number and {@code image: {{repo}}:{{tag}}} a plain string.
 * Inside quotes the template wrote itself, a quoted value breaks the YAML, which is then refused
 * instead of read differently. Triple braces ({@code {{{x}}}}) get the same treatment: there is no
 * raw output.
 */
public final class NdjsonTemplate {
  private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {};
  private final Mustache mustache;
  private final String name;

  private NdjsonTemplate(String name, Mustache mustache) {
    this.name = name;
    this.mustache = mustache;
  }

  public static NdjsonTemplate compile(String name, String template) {
    DefaultMustacheFactory factory =
        new DefaultMustacheFactory() {
          @Override
          public void encode(String value, Writer writer) {
            try {
              writer.write(scalar(value));
            } catch (IOException e) {
              throw new MustacheException(e);
            }
          }

          @Override
          public MustacheVisitor createMustacheVisitor() {
            return new DefaultMustacheVisitor(this) {
              @Override
              public void value(TemplateContext context, String variable, boolean encoded) {
                super.value(context, variable, true);
              }
            };
          }
        };
    try {
      return new NdjsonTemplate(name, factory.compile(new StringReader(template), name));
    } catch (MustacheException e) {
      throw DivisionException.invalid(
          name + ": invalid template: " + Messages.oneLine(e.getMessage()));
    }
  }

  /**
   * A value as it lands in the YAML: as it is when it cannot be read as anything but the text of
   * one plain scalar, else as a double-quoted scalar.
   */
  static String scalar(String value) {
    return plainIsSafe(value) ? value : Json.write(value);
  }

  private static boolean plainIsSafe(String v) {
    if (v.isEmpty()) return true;
    if (Character.isWhitespace(v.charAt(0)) || Character.isWhitespace(v.charAt(v.length() - 1))) {
      return false;
    }
    if (v.startsWith("---") || v.startsWith("...")) return false; // document markers
    char first = v.charAt(0);
    if ("!&*|>%@`#'\"".indexOf(first) >= 0) return false; // YAML indicators
    if ("-?:".indexOf(first) >= 0 && (v.length() == 1 || v.charAt(1) == ' ')) return false;
    if (v.endsWith(":") || v.contains(": ") || v.contains(" #")) return false;
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029' || c == '\ufeff') {
        return false; // line breaks and other controls
      }
      if ("\"'\\{}[],".indexOf(c) >= 0) return false; // quotes, escapes, flow collections
    }
    return true;
  }

  /** Renders the template for one NDJSON line; {@code lineNumber} (1-based) is for messages. */
  public String render(String line, int lineNumber) {
    Map<String, Object> scope;
    try {
      scope = Json.mapper().readValue(line, OBJECT);
    } catch (JsonProcessingException e) {
      throw DivisionException.invalid(
          "input line "
              + lineNumber
              + ": not a JSON object: "
              + Messages.oneLine(e.getOriginalMessage()));
    }
    StringWriter w = new StringWriter();
    try {
      mustache.execute(w, scope);
    } catch (MustacheException e) {
      throw DivisionException.invalid(
          name + ": rendering input line " + lineNumber + ": " + Messages.oneLine(e.getMessage()));
    }
    return w.toString();
  }
}
