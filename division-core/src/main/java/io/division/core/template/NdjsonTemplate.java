package io.division.core.template;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheException;
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
 * and well kept; its HTML escaping is turned off because the output is YAML or JSON, not HTML.
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
              writer.write(value);
            } catch (IOException e) {
              throw new MustacheException(e);
            }
          }
        };
    try {
      return new NdjsonTemplate(name, factory.compile(new StringReader(template), name));
    } catch (MustacheException e) {
      throw DivisionException.invalid(
          name + ": invalid template: " + Messages.oneLine(e.getMessage()));
    }
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
