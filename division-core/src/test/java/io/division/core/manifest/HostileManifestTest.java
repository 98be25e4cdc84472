package io.division.core.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.division.core.DivisionException;
import io.division.core.model.Messages;
import io.division.core.model.Resource;
import io.division.core.model.Validation;
import org.junit.jupiter.api.Test;

/** Manifests that YAML reads differently from how they look: refused in one line, never coerced. */
class HostileManifestTest {
  private static Resource resource(String yaml) {
    return Resource.fromJson(ManifestReader.read("m.yaml", yaml).get(0).node());
  }

  @Test
  void anAliasIsRefusedWithWhereItIsNotStoredAsItsName() {
    String yaml = "kind: Approval\nmetadata: {name: a1}\nspec:\n  base: &b {x: 1}\n  copy: *b\n";
    assertThatThrownBy(() -> ManifestReader.read("m.yaml", yaml))
        .isInstanceOf(ManifestException.class)
        .hasMessage(
            "m.yaml document 1: invalid YAML: YAML aliases are not supported (*b): write the value"
                + " out in full at line 5, column 9");
  }

  @Test
  void anAliasBombIsRefusedAtItsFirstAlias() {
    StringBuilder bomb = new StringBuilder("kind: Approval\nmetadata: {name: a1}\nspec:\n");
    bomb.append("  a: &a [x, x, x, x, x, x, x, x, x]\n");
    for (char c = 'b'; c <= 'j'; c++) {
      char prev = (char) (c - 1);
      bomb.append("  ").append(c).append(": &").append(c).append(" [");
      for (int i = 0; i < 9; i++) bomb.append(i == 0 ? "" : ", ").append('*').append(prev);
      bomb.append("]\n");
    }
    assertThatThrownBy(() -> ManifestReader.read("bomb.yaml", bomb.toString()))
        .hasMessageContaining("YAML aliases are not supported (*a)");
  }

  @Test
  void mergeKeysAndScalarAliasesAreRefusedToo() {
    assertThatThrownBy(
            () ->
                ManifestReader.read(
                    "m.yaml", "kind: Approval\nmetadata: {name: &n a1, labels: {x: *n}}\n"))
        .hasMessageContaining("(*n)");
    assertThatThrownBy(
            () ->
                ManifestReader.read(
                    "m.yaml",
                    "kind: Approval\nmetadata: {name: a1}\nspec:\n  d: &d {a: 1}\n  e: {<<: *d}\n"))
        .hasMessageContaining("(*d)");
  }

  @Test
  void anAnchorWithoutAliasReadsAsItsValue() {
    Resource r = resource("kind: Approval\nmetadata: {name: a1}\nspec: &s {x: 1}\n");
    assertThat(r.spec().path("x").asInt()).isEqualTo(1);
  }

  @Test
  void namesAndLabelsThatYamlReadsAsNumbersOrBooleansAreRefused() {
    assertThatThrownBy(() -> resource("kind: Approval\nmetadata: {name: 010}\n"))
        .isInstanceOf(DivisionException.class)
        .hasMessage(
            "metadata.name must be a string, but is the number 8 (in YAML, put the value in"
                + " quotes)");
    assertThatThrownBy(
            () -> resource("kind: Approval\nmetadata: {name: a1, labels: {version: 1.10}}\n"))
        .hasMessageContaining("metadata.labels.version must be a string, but is the number 1.1");
    assertThatThrownBy(
            () -> resource("kind: Approval\nmetadata: {name: a1, labels: {enabled: yes}}\n"))
        .hasMessageContaining("metadata.labels.enabled must be a string, but is the boolean true");
    assertThatThrownBy(
            () -> resource("kind: Approval\nmetadata: {name: a1, annotations: {n: 0x1F}}\n"))
        .hasMessageContaining("metadata.annotations.n must be a string, but is the number 31");
    assertThatThrownBy(() -> resource("kind: Approval\nmetadata: {name: true}\n"))
        .hasMessageContaining("is the boolean true");
    // Quoted, they are the strings they look like.
    Resource quoted =
        resource("kind: Approval\nmetadata: {name: \"010\", labels: {version: \"1.10\"}}\n");
    assertThat(quoted.name()).isEqualTo("010");
    assertThat(quoted.metadata().labels()).containsEntry("version", "1.10");
  }

  @Test
  void errorsAboutValuesWithControlCharactersStayOneLine() {
    String problem = Validation.checkName("bad\nname\u001b[31m");
    assertThat(problem).doesNotContain("\n").doesNotContain("\u001b");
    assertThat(problem).startsWith("metadata.name \"bad\\nname\\u001b[31m\" is invalid");
    assertThat(Messages.quote("a\"b\\c\td")).isEqualTo("\"a\\\"b\\\\c\\td\"");
    assertThat(Messages.escapeControls("one\r\ntwo\u0085")).isEqualTo("one\\r\\ntwo\\u0085");
    assertThat(Messages.oneLine("first\n  sec\u0007ond")).isEqualTo("first sec\\u0007ond");
  }
}
