package io.division.core.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;
import java.io.UncheckedIOException;

/**
 * Shared Jackson mappers. YAML is held lazily: the CLI's common path (JSON, tables) never loads
 * snakeyaml.
 */
public final class Json {
  private static final ObjectMapper MAPPER = configure(new ObjectMapper());

  private Json() {}

  private static <M extends ObjectMapper> M configure(M mapper) {
    mapper.setDefaultPropertyInclusion(
        JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL));
    mapper.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    mapper.disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    // A key given twice is a mistake in a manifest, not "the last one wins" (kubectl agrees).
    mapper.enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    return mapper;
  }

  public static ObjectMapper mapper() {
    return MAPPER;
  }

  public static ObjectMapper yaml() {
    return YamlHolder.YAML;
  }

  public static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }

  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** kubectl's layout: four-space indent, {@code "key": value}. */
  private static final DefaultPrettyPrinter PRETTY =
      new DefaultPrettyPrinter()
          .withObjectIndenter(new DefaultIndenter("    ", "\n"))
          .withSeparators(
              Separators.createDefaultInstance()
                  .withObjectFieldValueSpacing(Separators.Spacing.AFTER));

  public static String writePretty(Object value) {
    try {
      return MAPPER.writer(PRETTY).writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String writeYaml(Object value) {
    try {
      return YamlHolder.YAML.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static JsonNode parse(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final class YamlHolder {
    static final ObjectMapper YAML =
        configure(
            new YAMLMapper(
                YAMLFactory.builder()
                    .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                    .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
                    .stringQuotingChecker(new YamlQuoting())
                    .build()));
  }

  /**
   * Quotes every string that some YAML reader would take for another type: besides Jackson's
   * booleans, nulls and numbers, YAML 1.1's dates and timestamps ({@code 2024-01-01}, which PyYAML
   * reads as a date), sexagesimal, octal, hex and binary numbers, {@code .inf}, {@code .nan},
   * {@code =} and the merge key {@code <<}. kubectl (go-yaml) quotes the same strings.
   */
  static final class YamlQuoting extends StringQuotingChecker.Default {
    private static final java.util.regex.Pattern OTHER_TYPE =
        java.util.regex.Pattern.compile(
            String.join(
                "|",
                "[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ][\\s\\S]*)?",
                "[-+]?0b[0-1_]+",
                "[-+]?0o?[0-7_]+",
                "[-+]?0x[0-9a-fA-F_]+",
                "[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\\.[0-9_]*)?",
                "[-+]?([0-9][0-9_]*)?\\.?[0-9_]*([eE][-+]?[0-9]+)?",
                "[-+]?\\.(inf|Inf|INF)",
                "\\.(nan|NaN|NAN)",
                "[yYnN~=]|<<|(?i:yes|no|on|off|true|false|null)"));

    @Override
    public boolean needToQuoteName(String name) {
      return super.needToQuoteName(name) || looksLikeAnotherType(name);
    }

    @Override
    public boolean needToQuoteValue(String value) {
      return super.needToQuoteValue(value) || looksLikeAnotherType(value);
    }

    private static boolean looksLikeAnotherType(String s) {
      return !s.isEmpty() && s.length() < 64 && OTHER_TYPE.matcher(s).matches() && !s.equals(".");
    }
  }
}
