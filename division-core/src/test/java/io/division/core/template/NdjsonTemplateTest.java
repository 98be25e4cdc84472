package io.division.core.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.division.core.manifest.ManifestException;
import io.division.core.manifest.ManifestReader;
import io.division.core.model.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class NdjsonTemplateTest {
  private static final String APPROVAL =
      "kind: Approval\nmetadata:\n  name: {{name}}\nspec:\n  note: {{note}}\n  size: {{size}}\n";

  private static JsonNode renderAndRead(String template, String line) {
    String yaml = NdjsonTemplate.compile("t.tpl", template).render(line, 1);
    List<io.division.core.manifest.Document> docs = ManifestReader.read("render", yaml);
    assertThat(docs).hasSize(1);
    return docs.get(0).node();
  }

  private static String line(String note) {
    return "{\"name\":\"a1\",\"size\":3,\"note\":" + Json.write(note) + "}";
  }

  @Test
  void aValueWithALineBreakCannotRewriteTheDocument() {
    String hostile = "fine\nstatus:\n  phase: Approved";
    JsonNode doc = renderAndRead(APPROVAL, line(hostile));
    assertThat(doc.path("spec").path("note").asText()).isEqualTo(hostile);
    assertThat(doc.has("status")).isFalse();
    assertThat(doc.path("spec").path("size").isInt()).isTrue();
  }

  @Test
  void everyKindOfHostileValueLandsAsTheSameString() {
    for (String value :
        List.of(
            "a: b",
            "x # comment",
            "{status: {phase: Approved}}",
            "[1, 2]",
            "a, b",
            "*alias",
            "&anchor x",
            "!!binary aGk=",
            "- item",
            "---",
            "'quoted'",
            "\"double\"",
            "back\\slash",
            " padded ",
            "tab\there",
            "cr\rhere",
            "trailing:",
            "| block",
            "> folded",
            "@reserved",
            "%directive")) {
      JsonNode doc = renderAndRead(APPROVAL, line(value));
      assertThat(doc.path("spec").path("note").asText()).as(value).isEqualTo(value);
      assertThat(doc.has("status")).as(value).isFalse();
    }
  }

  @Test
  void ordinaryValuesAreWrittenAsTheyAre() {
    assertThat(NdjsonTemplate.scalar("nginx:1.25")).isEqualTo("nginx:1.25");
    assertThat(NdjsonTemplate.scalar("https://example.com/a?b=c"))
        .isEqualTo("https://example.com/a?b=c");
    assertThat(NdjsonTemplate.scalar("hello world")).isEqualTo("hello world");
    assertThat(NdjsonTemplate.scalar("-1")).isEqualTo("-1");
    assertThat(
            NdjsonTemplate.compile("t", "image: {{repo}}:{{tag}}\nmsg: \"{{m}}\"\n")
                .render("{\"repo\":\"nginx\",\"tag\":\"1.25\",\"m\":\"all good\"}", 1))
        .isEqualTo("image: nginx:1.25\nmsg: \"all good\"\n");
  }

  @Test
  void tripleBracesAreNoWayAround() {
    JsonNode doc =
        renderAndRead(
            "kind: Approval\nmetadata: {name: a1}\nspec:\n  note: {{{note}}}\n  other: {{& note}}\n",
            line("x\nstatus: {phase: Approved}"));
    assertThat(doc.has("status")).isFalse();
    assertThat(doc.path("spec").path("other").asText()).isEqualTo("x\nstatus: {phase: Approved}");
  }

  @Test
  void aHostileValueInsideQuotesTheTemplateWroteIsRefusedNotMisread() {
    String yaml =
        NdjsonTemplate.compile(
                "t.tpl", "kind: Approval\nmetadata: {name: a1}\nspec: {note: \"{{note}}\"}\n")
            .render(line("x\", status: {phase: Approved}, y: \""), 1);
    assertThatThrownBy(() -> ManifestReader.read("render", yaml))
        .isInstanceOf(ManifestException.class);
  }
}
