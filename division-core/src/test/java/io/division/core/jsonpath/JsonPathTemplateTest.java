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

  private final JsonNode list =
      Json.parse(
          """
      {"kind": "List", "items": [
        {"metadata": {"name": "a"}, "status": {"phase": "Done", "n": 1,
          "conditions": [{"type": "Ready", "status": "True"}]}},
        {"metadata": {"name": "b"}, "status": {"phase": "Running", "n": 5,
          "conditions": [{"type": "Ready", "status": "False"}]}},
        {"metadata": {"name": "c"}, "status": {"phase": "Done", "n": 3}}]}
      """);

  private String renderList(String template) {
    return JsonPathTemplate.parse(template).render(list);
  }

  @Test
  void filtersCompareStringsAndNumbersAndTestExistence() {
    assertThat(renderList("{.items[?(@.status.phase==\"Done\")].metadata.name}")).isEqualTo("a c");
    assertThat(renderList("{.items[?(@.status.phase!='Done')].metadata.name}")).isEqualTo("b");
    assertThat(renderList("{.items[?(@.status.n>2)].metadata.name}")).isEqualTo("b c");
    assertThat(renderList("{.items[?(@.status.n<=3)].metadata.name}")).isEqualTo("a c");
    assertThat(renderList("{.items[?(@.status.conditions)].metadata.name}")).isEqualTo("a b");
    assertThat(
            renderList(
                "{range .items[*]}{.metadata.name}={.status.conditions[?(@.type==\"Ready\")].status}"
                    + "{\"\\n\"}{end}"))
        .isEqualTo("a=True\nb=False\nc=\n");
  }

  @Test
  void slicesUnionsRecursiveDescentAndQuotedKeys() {
    assertThat(renderList("{.items[0:2].metadata.name}")).isEqualTo("a b");
    assertThat(renderList("{.items[::2].metadata.name}")).isEqualTo("a c");
    assertThat(renderList("{.items[-2:].metadata.name}")).isEqualTo("b c");
    assertThat(renderList("{.items[0,2].metadata.name}")).isEqualTo("a c");
    assertThat(renderList("{..name}")).isEqualTo("a b c");
    assertThat(renderList("{.items[*]['metadata.name', 'status.phase']}"))
        .isEqualTo("a b c Done Running Done");
    assertThat(renderList("{$.kind}")).isEqualTo("List");
    assertThat(render("{.metadata['labels']['app.kubernetes.io/name']}")).isEqualTo("web");
  }

  @Test
  void whatKubectlRejectsIsAnErrorNotEmptyOutput() {
    assertThatThrownBy(() -> renderList("{.items[7].metadata.name}"))
        .hasMessageContaining("[7] is out of range: the list has 3 element(s)");
    assertThatThrownBy(() -> render("{.metadata[0]}"))
        .hasMessageContaining("[0] applies to a list, not to an object");
    assertThatThrownBy(() -> render("{.metadata[?(@.x)]}"))
        .hasMessageContaining("applies to a list, not to an object");
    assertThatThrownBy(() -> JsonPathTemplate.parse("{metadata.name}"))
        .hasMessageContaining("unrecognized identifier metadata");
    assertThatThrownBy(() -> JsonPathTemplate.parse("{.items[x]}"))
        .hasMessageContaining("invalid subscript [x]");
    assertThatThrownBy(() -> JsonPathTemplate.parse("{.items[::0]}")).hasMessageContaining("step");
    assertThatThrownBy(() -> JsonPathTemplate.parse("{.items[?(@.a=<1)]}"))
        .hasMessageContaining("unrecognized filter operator =<");
    assertThatThrownBy(() -> JsonPathTemplate.parse("{}")).hasMessageContaining("empty action");
  }

  @Test
  void selectIsLenientForColumnsAndConditions() {
    assertThat(JsonPathTemplate.select(list, "items[7].metadata.name")).isEmpty();
    assertThat(JsonPathTemplate.select(list, "{.items[0].status.phase}"))
        .extracting(JsonNode::asText)
        .containsExactly("Done");
    assertThat(JsonPath.compile("status.phase").find(doc))
        .extracting(JsonNode::asText)
        .containsExactly("Done");
  }
}
