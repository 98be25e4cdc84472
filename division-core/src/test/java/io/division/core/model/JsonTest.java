package io.division.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

class JsonTest {
  /** Json.parse builds its tree without a mapper; it must be the tree the mapper would build. */
  @Test
  void parseGivesTheTreeOfTheMappersReadTree() throws Exception {
    String doc =
        "{\"s\":\"x\\u00e9\\n\",\"i\":1,\"neg\":-7,\"l\":12345678901,\"big\":123456789012345678901234,"
            + "\"d\":1.5,\"e\":1e3,\"t\":true,\"f\":false,\"n\":null,\"empty\":{},\"none\":[],"
            + "\"nested\":{\"a\":[1,[2,{\"b\":\"c\"}],null,0.1]}}";
    JsonNode expected = Json.mapper().readTree(doc);
    JsonNode parsed = Json.parse(doc);
    assertThat(parsed).isEqualTo(expected);
    assertThat(parsed.get("i").getClass()).isEqualTo(expected.get("i").getClass());
    assertThat(parsed.get("l").getClass()).isEqualTo(expected.get("l").getClass());
    assertThat(parsed.get("big").getClass()).isEqualTo(expected.get("big").getClass());
    assertThat(parsed.get("e").getClass()).isEqualTo(expected.get("e").getClass());
    assertThat(parsed.toString()).isEqualTo(expected.toString());
    for (String scalar : new String[] {"7", "\"s\"", "null", "[1,2]", "2.5", "  "}) {
      assertThat(Json.parse(scalar)).as(scalar).isEqualTo(Json.mapper().readTree(scalar));
    }
    // What follows the first value is ignored, as readTree ignores it.
    assertThat(Json.parse("{\"a\":1} {\"b\":2}")).isEqualTo(Json.mapper().readTree("{\"a\":1}"));
  }

  /**
   * Json.write writes trees and string maps without a mapper; it must write what the mapper does.
   */
  @Test
  void writeGivesTheMappersTextForTreesAndStringMaps() throws Exception {
    String doc =
        "{\"s\":\"x\\u00e9\\n\\t\\\"q\\u0001\",\"i\":1,\"neg\":-7,\"l\":12345678901,"
            + "\"big\":123456789012345678901234,\"d\":1.5,\"e\":1e3,\"tiny\":1.0E-10,"
            + "\"t\":true,\"f\":false,\"n\":null,\"empty\":{},\"none\":[],"
            + "\"nested\":{\"a\":[1,[2,{\"b\":\"c\"}],null,0.1]}}";
    ObjectNode tree = (ObjectNode) Json.mapper().readTree(doc);
    tree.put("float", 2.5f).put("decimal", new java.math.BigDecimal("3.14159265358979323846"));
    tree.put("binary", new byte[] {1, 2, 3});
    assertThat(Json.write(tree)).isEqualTo(Json.mapper().writeValueAsString(tree));
    assertThat(Json.write(tree)).isEqualTo(tree.toString());
    assertThat(Json.writePretty(tree))
        .isEqualTo(Json.mapper().writer(Json.PRETTY).writeValueAsString(tree));
    tree.put("date", "2024-01-01").put("yes", "yes").put("multi", "a\nb\n").put("empty", "");
    tree.putArray("list").add("x").addObject().put("k", "0755");
    assertThat(Json.writeYaml(tree)).isEqualTo(Json.yaml().writeValueAsString(tree));
    assertThat(Json.writeYaml(Json.object()))
        .isEqualTo(Json.yaml().writeValueAsString(Json.object()));
    java.util.Map<String, String> labels = new java.util.TreeMap<>();
    labels.put("team", "web");
    labels.put("quote\"d", "line\nbreak");
    assertThat(Json.write(labels)).isEqualTo(Json.mapper().writeValueAsString(labels));
    assertThat(Json.write(java.util.Map.of())).isEqualTo("{}");
    // Anything else still goes through the mapper.
    assertThat(Json.write(java.util.List.of("a", 1))).isEqualTo("[\"a\",1]");
  }

  @Test
  void readNextReadsEachYamlDocumentAsTheMapperReadsIt() throws Exception {
    String yaml = "a: 1\nb: [x, 2.5, true, null]\n---\n---\nc: {d: e}\n";
    java.util.List<JsonNode> expected =
        Json.yaml().readerFor(JsonNode.class).<JsonNode>readValues(yaml).readAll();
    java.util.List<JsonNode> read = new java.util.ArrayList<>();
    try (var parser = Json.yamlParser(yaml)) {
      for (JsonNode n = Json.readNext(parser); n != null; n = Json.readNext(parser)) read.add(n);
    }
    assertThat(read).hasSize(expected.size());
    for (int i = 0; i < read.size(); i++) {
      JsonNode e = expected.get(i);
      // the mapper gives an empty document as a null node or as nothing at all
      if (e == null || e.isNull()) assertThat(read.get(i) == null || read.get(i).isNull()).isTrue();
      else assertThat(read.get(i)).isEqualTo(e);
    }
  }

  @Test
  void parseRefusesDuplicateKeysAndMalformedJsonLikeTheMapper() {
    assertThatThrownBy(() -> Json.parse("{\"a\":1,\"a\":2}"))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("Duplicate field 'a'");
    assertThatThrownBy(() -> Json.parse("{\"a\":")).isInstanceOf(UncheckedIOException.class);
    assertThatThrownBy(() -> Json.parse("{\"a\" 1}")).isInstanceOf(UncheckedIOException.class);
  }
}
