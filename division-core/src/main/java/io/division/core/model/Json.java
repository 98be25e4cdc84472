package io.division.core.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Shared Jackson mappers. Both are held lazily: reading JSON into a tree ({@link #parse}) needs no
 * mapper, so a CLI call that reads and prints a table builds none (an {@code ObjectMapper} costs a
 * short call more than parsing its objects), and the common path never loads snakeyaml.
 */
public final class Json {
  private Json() {}

  private static final class MapperHolder {
    static final ObjectMapper MAPPER = configure(new ObjectMapper());
  }

  /** The parser settings of {@link #mapper()}'s factory, duplicate keys refused as there. */
  private static final JsonFactory FACTORY =
      JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

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
    return MapperHolder.MAPPER;
  }

  public static ObjectMapper yaml() {
    return YamlHolder.YAML;
  }

  public static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }

  /**
   * Compact JSON. A tree ({@link JsonNode}) or a map of strings is written straight to a generator:
   * what {@code node.toString()} and the mapper write, without building a mapper (about 40 ms of a
   * short call that stores one object); anything else goes through the mapper.
   */
  public static String write(Object value) {
    if (value instanceof JsonNode || isStringMap(value)) return generate(FACTORY, null, value);
    try {
      return MapperHolder.MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code value} written by a generator of {@code factory}, laid out by {@code layout} if any. */
  private static String generate(JsonFactory factory, DefaultPrettyPrinter layout, Object value) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = factory.createGenerator(out)) {
      if (layout != null) g.setPrettyPrinter(layout.createInstance());
      writeValue(g, value);
    } catch (java.io.IOException e) {
      throw new UncheckedIOException(e); // not thrown for a StringWriter
    }
    return out.toString();
  }

  private static boolean isStringMap(Object value) {
    if (!(value instanceof Map<?, ?> map)) return false;
    for (Map.Entry<?, ?> e : map.entrySet())
      if (!(e.getKey() instanceof String) || !(e.getValue() instanceof String)) return false;
    return true;
  }

  private static void writeValue(JsonGenerator g, Object value) throws java.io.IOException {
    if (value instanceof Map<?, ?> map) {
      g.writeStartObject();
      for (Map.Entry<?, ?> e : map.entrySet())
        g.writeStringField((String) e.getKey(), (String) e.getValue());
      g.writeEndObject();
      return;
    }
    JsonNode node = (JsonNode) value;
    switch (node.getNodeType()) {
      case OBJECT -> {
        g.writeStartObject();
        for (Map.Entry<String, JsonNode> field : node.properties()) {
          g.writeFieldName(field.getKey());
          writeValue(g, field.getValue());
        }
        g.writeEndObject();
      }
      case ARRAY -> {
        g.writeStartArray();
        for (JsonNode item : node) writeValue(g, item);
        g.writeEndArray();
      }
      case STRING -> g.writeString(node.textValue());
      case NUMBER -> {
        switch (node.numberType()) {
          case INT -> g.writeNumber(node.intValue());
          case LONG -> g.writeNumber(node.longValue());
          case BIG_INTEGER -> g.writeNumber(node.bigIntegerValue());
          case FLOAT -> g.writeNumber(node.floatValue());
          case DOUBLE -> g.writeNumber(node.doubleValue());
          default -> g.writeNumber(node.decimalValue());
        }
      }
      case BOOLEAN -> g.writeBoolean(node.booleanValue());
      case NULL -> g.writeNull();
      case BINARY -> g.writeBinary(node.binaryValue());
      default -> g.writeRawValue(node.toString()); // POJO and missing nodes: the mapper's way
    }
  }

  /** kubectl's layout: four-space indent, {@code "key": value}. */
  static final DefaultPrettyPrinter PRETTY =
      new DefaultPrettyPrinter()
          .withObjectIndenter(new DefaultIndenter("    ", "\n"))
          .withSeparators(
              Separators.createDefaultInstance()
                  .withObjectFieldValueSpacing(Separators.Spacing.AFTER));

  /** kubectl's layout; a tree is written without building a mapper, as {@link #write} does. */
  public static String writePretty(Object value) {
    if (value instanceof JsonNode) return generate(FACTORY, PRETTY, value);
    try {
      return MapperHolder.MAPPER.writer(PRETTY).writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** YAML as {@link #yaml()} writes it; a tree is written without building a mapper. */
  public static String writeYaml(Object value) {
    if (value instanceof JsonNode) return generate(YamlFactoryHolder.FACTORY, null, value);
    try {
      return YamlHolder.YAML.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The tree {@code mapper().readTree(json)} gives, built from the parser's tokens without a
   * mapper: the same node types (int, long or big integer as the value needs, doubles for
   * fractions), a missing node for empty input, and what follows the first value ignored, as
   * readTree does.
   */
  public static JsonNode parse(String json) {
    try (JsonParser p = FACTORY.createParser(json)) {
      JsonToken first = p.nextToken();
      return first == null ? MissingNode.getInstance() : readValue(p, first);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    } catch (java.io.IOException e) {
      throw new UncheckedIOException(e); // not thrown for a String source
    }
  }

  /**
   * The next value in {@code p} (a YAML stream's next document, or the next of concatenated JSON
   * values) as a tree built like {@link #parse}'s; null at the end. A tagged binary value ({@code
   * !!binary}) reads as a binary node, as the mapper reads it.
   */
  public static JsonNode readNext(JsonParser p) throws java.io.IOException {
    JsonToken t = p.nextToken();
    return t == null ? null : readValue(p, t);
  }

  /** A parser over JSON text, with {@link #mapper()}'s settings, for {@link #readNext}. */
  public static JsonParser jsonParser(String text) throws java.io.IOException {
    return FACTORY.createParser(text);
  }

  private static JsonNode readValue(JsonParser p, JsonToken token) throws java.io.IOException {
    JsonNodeFactory nodes = JsonNodeFactory.instance;
    switch (token) {
      case START_OBJECT:
        {
          ObjectNode object = nodes.objectNode();
          for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
            String name = p.currentName();
            object.set(name, readValue(p, p.nextToken()));
          }
          return object;
        }
      case START_ARRAY:
        {
          ArrayNode array = nodes.arrayNode();
          for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            array.add(readValue(p, t));
          }
          return array;
        }
      case VALUE_STRING:
        return nodes.textNode(p.getText());
      case VALUE_NUMBER_INT:
        return switch (p.getNumberType()) {
          case INT -> nodes.numberNode(p.getIntValue());
          case LONG -> nodes.numberNode(p.getLongValue());
          default -> nodes.numberNode(p.getBigIntegerValue());
        };
      case VALUE_NUMBER_FLOAT:
        return nodes.numberNode(p.getDoubleValue());
      case VALUE_TRUE:
        return nodes.booleanNode(true);
      case VALUE_FALSE:
        return nodes.booleanNode(false);
      case VALUE_NULL:
        return nodes.nullNode();
      case VALUE_EMBEDDED_OBJECT:
        {
          Object embedded = p.getEmbeddedObject();
          return embedded instanceof byte[] bytes
              ? nodes.binaryNode(bytes)
              : nodes.pojoNode(embedded);
        }
      default:
        throw new JsonParseException(p, "unexpected token " + token);
    }
  }

  /** A parser over YAML text, with the settings of {@link #yaml()}'s, for {@link #readAll}. */
  public static JsonParser yamlParser(String text) throws java.io.IOException {
    return YamlFactoryHolder.FACTORY.createParser(text);
  }

  private static final class YamlFactoryHolder {
    static final YAMLFactory FACTORY =
        YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .stringQuotingChecker(new YamlQuoting())
            .build();
  }

  private static final class YamlHolder {
    static final ObjectMapper YAML = configure(new YAMLMapper(YamlFactoryHolder.FACTORY));
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
