package io.division.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.division.core.model.Json;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile or careless input through ./div in separate processes: refused in one line, or kept. */
class HardeningIT {
  @TempDir Path home;
  CliHarness div;

  @BeforeEach
  void setUp() {
    div = new CliHarness(home);
  }

  private static void assertOneLineError(CliHarness.Result r, String containing) {
    assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.ERROR);
    assertThat(r.err()).startsWith("error: ").contains(containing).endsWith("\n");
    assertThat(r.err().lines()).hasSize(1);
  }

  private JsonNode get(String kind, String name) throws Exception {
    CliHarness.Result r = div.exec("get", kind, name, "-o", "json");
    assertThat(r.code()).as(r.err()).isZero();
    return Json.parse(r.out());
  }

  @Test
  void aResourceVersionInAPatchIsAPreconditionAsInKubernetes() throws Exception {
    div.execWithInput("{\"kind\":\"Approval\",\"metadata\":{\"name\":\"a1\"}}", "apply", "-f", "-");
    String read = get("approval", "a1").path("metadata").path("resourceVersion").asText();
    String patch = "{\"metadata\":{\"resourceVersion\":\"%s\"},\"spec\":{\"description\":\"v%d\"}}";
    CliHarness.Result first =
        div.exec("patch", "approval", "a1", "-p", String.format(patch, read, 1));
    assertThat(first.code()).as(first.err()).isZero();
    CliHarness.Result stale =
        div.exec("patch", "approval", "a1", "-p", String.format(patch, read, 2));
    assertOneLineError(stale, "the object has been modified");
    assertThat(get("approval", "a1").path("spec").path("description").asText()).isEqualTo("v1");
  }

  @Test
  void aPatchIsValidatedAsAnApplyOfItsResultWouldBe() throws Exception {
    Path root = CliHarness.repoRoot();
    assertThat(div.exec("apply", "-f", root.resolve("examples/widget.crd.yaml").toString()).code())
        .isZero();
    div.execWithInput("kind: Widget\nmetadata: {name: w1}\nspec: {size: 2}\n", "apply", "-f", "-");

    assertOneLineError(
        div.exec("patch", "widget", "w1", "-p", "{\"spec\":{\"size\":\"huge\"}}"), "spec.size");
    assertOneLineError(
        div.exec("patch", "crd", "widgets.example.com", "-p", "{\"spec\":{\"names\":null}}"),
        "spec.names is required");
    assertThat(get("widget", "w1").path("spec").path("size").asInt()).isEqualTo(2);
    CliHarness.Result list = div.exec("get", "widgets");
    assertThat(list.code()).as(list.err()).isZero();
    assertThat(list.out()).contains("w1");
  }

  @Test
  void aCrdWithAnInvalidSchemaIsRefused() throws Exception {
    CliHarness.Result r =
        div.execWithInput(
            "kind: CustomResourceDefinition\nmetadata: {name: gadgets.example.com}\n"
                + "spec:\n  names: {kind: Gadget}\n  openAPIV3Schema:\n    type: object\n"
                + "    properties: {spec: {type: strin}}\n",
            "apply",
            "-f",
            "-");
    assertOneLineError(r, "spec.openAPIV3Schema is not a valid schema");
    assertThat(div.exec("get", "crds", "-o", "name").out()).doesNotContain("gadgets");
  }

  @Test
  void aTemplateValueCannotRewriteTheDocumentItLandsIn() throws Exception {
    Path tpl =
        div.write(
            "approval.yaml.tpl",
            "kind: Approval\nmetadata:\n  name: {{name}}\nspec:\n  description: {{note}}\n");
    String hostile = "{\"name\":\"a1\",\"note\":\"ok\\nstatus:\\n  phase: Approved\"}\n";
    CliHarness.Result r =
        div.execWithInput(hostile, "template", "-f", tpl.toString(), "--pipe-to", "div apply -f -");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode stored = get("approval", "a1");
    assertThat(stored.path("spec").path("description").asText())
        .isEqualTo("ok\nstatus:\n  phase: Approved");
    assertThat(stored.path("status").path("phase").isMissingNode()).isTrue();
  }

  @Test
  void yamlAliasesAreRefusedInOneLineAndNothingIsStored() throws Exception {
    CliHarness.Result r =
        div.execWithInput(
            "kind: Approval\nmetadata: {name: a1}\nspec:\n  base: &b {x: 1}\n  copy: *b\n",
            "apply",
            "-f",
            "-");
    assertOneLineError(r, "YAML aliases are not supported (*b)");
    assertThat(div.exec("get", "approvals", "-o", "name").out()).isEmpty();
  }

  @Test
  void namesAndLabelsYamlReadsAsNumbersAreRefusedNotCoerced() throws Exception {
    assertOneLineError(
        div.execWithInput("kind: Approval\nmetadata: {name: 010}\n", "apply", "-f", "-"),
        "metadata.name must be a string, but is the number 8");
    assertOneLineError(
        div.execWithInput(
            "kind: Approval\nmetadata: {name: a1, labels: {version: 1.10}}\n", "apply", "-f", "-"),
        "metadata.labels.version must be a string, but is the number 1.1");
    assertThat(div.exec("get", "approvals", "-o", "name").out()).isEmpty();
  }

  @Test
  void anErrorAboutANameWithANewlineIsOneLine() throws Exception {
    assertOneLineError(
        div.execWithInput(
            "{\"kind\":\"Approval\",\"metadata\":{\"name\":\"bad\\nname\\u001b[2J\"}}",
            "apply",
            "-f",
            "-"),
        "metadata.name \"bad\\nname\\u001b[2J\" is invalid");
    assertOneLineError(
        div.exec("patch", "approval", "no\nsuch", "-p", "{}"), "approval/no\\nsuch not found");
  }
}
