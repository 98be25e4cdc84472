package io.division.core.jsonpath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.division.core.model.Json;
import org.junit.jupiter.api.Test;

class JsonPathTemplateTest {
  private final JsonNode doc =
      Json.parse(
          """
      {"metadata": {"name": "a", "labels": {"app.kubernetes.io/name": "web"}},
       "status": {"phase": "Done", "conditions": [{"type": "Ready", "status": "True"}, {"type": "Synced"}]},
       "items": [{"n": 1}, {"n": 2}]}
      """);

  private String render(String template) {
    return JsonPathTemplate.parse(template).render(doc);
  }

  @Test
  void fieldsIndexesAndWildcardsSelectLikeKubectl() {
    assertThat(render("{.status.phase}")).isEqualTo("Done");
    assertThat(render("{.status.conditions[0].type}")).isEqualTo("Ready");
    assertThat(render("{.status.conditions[-1].type}")).isEqualTo("Synced");
    assertThat(render("{.status.conditions[*].type}")).isEqualTo("Ready Synced");
    assertThat(render("{.metadata.labels.app\\.kubernetes\\.io/name}")).isEqualTo("web");
    assertThat(render("{.metadata.labels['app.kubernetes.io/name']}")).isEqualTo("web");
  }

  @Test
  void textRangesAndStringLiteralsCompose() {
    assertThat(render("name={.metadata.name}{\"\\n\"}")).isEqualTo("name=a\n");
    assertThat(render("{range .items[*]}[{.n}]{end}")).isEqualTo("[1][2]");
  }

  @Test
  void missingPathsRenderAsNothingAndObjectsAsJson() {
    assertThat(render("{.status.nothing}")).isEmpty();
    assertThat(render("{.items[0]}")).isEqualTo("{\"n\":1}");
  }

  @Test
  void malformedTemplatesAreRejected() {
    assertThatThrownBy(() -> JsonPathTemplate.parse("{.a")).hasMessageContaining("unclosed '{'");
    assertThatThrownBy(() -> JsonPathTemplate.parse("{range .items[*]}x"))
        .hasMessageContaining("{range} without {end}");
    assertThatThrownBy(() -> JsonPathTemplate.parse("x{end}"))
        .hasMessageContaining("{end} without {range}");
  }
}
