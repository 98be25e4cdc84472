package io.division.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
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

  @Test
  void parseRefusesDuplicateKeysAndMalformedJsonLikeTheMapper() {
    assertThatThrownBy(() -> Json.parse("{\"a\":1,\"a\":2}"))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("Duplicate field 'a'");
    assertThatThrownBy(() -> Json.parse("{\"a\":")).isInstanceOf(UncheckedIOException.class);
    assertThatThrownBy(() -> Json.parse("{\"a\" 1}")).isInstanceOf(UncheckedIOException.class);
  }
}
