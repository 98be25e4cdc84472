package io.division.core.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestReaderTest {
  @TempDir Path dir;

  @Test
  void multiDocumentYamlSkipsEmptyDocumentsButKeepsTheirIndex() {
    var docs = ManifestReader.read("a.yaml", "---\nkind: A\n---\n---\nkind: B\n");
    assertThat(docs).extracting(Document::index).containsExactly(1, 3);
    assertThat(docs.get(1).where()).isEqualTo("a.yaml document 3");
  }

  @Test
  void jsonArraysAndKubernetesListsExpandToTheirItems() {
    assertThat(ManifestReader.read("a.json", "[{\"kind\":\"A\"},{\"kind\":\"B\"}]")).hasSize(2);
    assertThat(ManifestReader.read("l.yaml", "kind: List\nitems:\n- kind: A\n- kind: B\n"))
        .hasSize(2);
    assertThat(ManifestReader.read("c.json", "{\"kind\":\"A\"}\n{\"kind\":\"B\"}\n")).hasSize(2);
  }

  @Test
  void aScalarDocumentIsRejectedWithItsIndex() {
    assertThatThrownBy(() -> ManifestReader.read("a.yaml", "kind: A\n---\njust text\n"))
        .hasMessage("a.yaml document 2: expected an object with kind and metadata");
  }

  @Test
  void aFolderIsReadInNameOrderSkippingOtherFiles() throws Exception {
    Files.writeString(dir.resolve("b.yaml"), "kind: B\n");
    Files.writeString(dir.resolve("a.json"), "{\"kind\":\"A\"}");
    Files.writeString(dir.resolve("notes.txt"), "not a manifest");
    assertThat(ManifestReader.readPath(dir))
        .extracting(d -> d.node().path("kind").asText())
        .containsExactly("A", "B");
  }
}
