package io.division.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.division.core.model.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
  @TempDir Path home;
  CliHarness div;

  static final String APPROVALS =
      """
      kind: Approval
      metadata:
        name: a1
        labels: {team: web}
      spec:
        requester: ci
      ---
      kind: Approval
      metadata:
        name: a2
        labels: {team: db}
      status:
        phase: Pending
      """;

  @BeforeEach
  void setUp() {
    div = new CliHarness(home);
  }

  @Test
  void helpListsEveryCommandWithADescription() {
    CliHarness.Result r = div.run("--help");
    assertThat(r.code()).isZero();
    for (String cmd :
        new String[] {
          "get",
          "apply",
          "delete",
          "patch",
          "wait",
          "logs",
          "approve",
          "reject",
          "deploy",
          "gateway",
          "gen",
          "init",
          "template",
          "version",
          "completion"
        }) {
      assertThat(r.out()).containsPattern("(?m)^  " + cmd + "\\s+\\S+");
    }
  }

  @Test
  void applyReportsCreatedThenUnchangedThenConfigured() throws Exception {
    Path file = div.write("a.yaml", APPROVALS);
    assertThat(div.run("apply", "-f", file.toString()).out())
        .isEqualTo("approval/a1 created\napproval/a2 created\n");
    assertThat(div.run("apply", "-f", file.toString()).out())
        .isEqualTo("approval/a1 unchanged\napproval/a2 unchanged\n");
    Files.writeString(file, APPROVALS.replace("requester: ci", "requester: bob"));
    assertThat(div.run("apply", "-f", file.toString()).out())
        .isEqualTo("approval/a1 configured\napproval/a2 unchanged\n");
  }

  @Test
  void getPrintsATableWithPrinterColumnsAndAge() throws Exception {
    div.run("apply", "-f", div.write("a.yaml", APPROVALS).toString());
    CliHarness.Result r = div.run("get", "approvals");
    assertThat(r.code()).isZero();
    String[] lines = r.out().split("\n");
    assertThat(lines[0])
        .matches("NAME\\s+PHASE\\s+APPROVED\\s+BY\\s+REQUESTED-BY\\s+EXPIRES\\s+AGE");
    assertThat(lines[1]).matches("a1\\s+<none>\\s+<none>\\s+<none>\\s+ci\\s+<none>\\s+\\d+s");
    assertThat(lines[2]).matches("a2\\s+Pending\\s+<none>\\s+<none>\\s+<none>\\s+<none>\\s+\\d+s");
  }

  @Test
  void getOfOneResourceAsJsonPrintsTheResourceAndOfSeveralAList() throws Exception {
    div.run("apply", "-f", div.write("a.yaml", APPROVALS).toString());
    JsonNode one = Json.parse(div.run("get", "approval", "a2", "-o", "json").out());
    assertThat(one.path("kind").asText()).isEqualTo("Approval");
    assertThat(one.path("status").path("phase").asText()).isEqualTo("Pending");
    JsonNode list = Json.parse(div.run("get", "approvals", "-o", "json").out());
    assertThat(list.path("kind").asText()).isEqualTo("List");
    assertThat(list.path("items")).hasSize(2);
  }

  @Test
  void getSupportsNameYamlAndJsonpathOutput() throws Exception {
    div.run("apply", "-f", div.write("a.yaml", APPROVALS).toString());
    assertThat(div.run("get", "approvals", "-o", "name").out())
        .isEqualTo("approval/a1\napproval/a2\n");
    assertThat(div.run("get", "approval/a2", "-o", "yaml").out())
        .contains("kind: Approval")
        .contains("phase: Pending");
    assertThat(div.run("get", "approval", "a2", "-o", "jsonpath={.status.phase}").out())
        .isEqualTo("Pending");
    assertThat(
            div.run(
                    "get",
                    "approvals",
                    "-o",
                    "jsonpath={range .items[*]}{.metadata.name}{\"\\n\"}{end}")
                .out())
        .isEqualTo("a1\na2\n");
  }

  @Test
  void getFiltersByLabelSelectorAndNamespace() throws Exception {
    div.run("apply", "-f", div.write("a.yaml", APPROVALS).toString());
    div.run(
        "apply",
        "-n",
        "other",
        "-f",
        div.write("b.yaml", APPROVALS.replace("a1", "b1").replace("a2", "b2")).toString());
    assertThat(div.run("get", "approvals", "-l", "team=web", "-o", "name").out())
        .isEqualTo("approval/a1\n");
    assertThat(div.run("get", "approvals", "-n", "other", "-o", "name").out())
        .isEqualTo("approval/b1\napproval/b2\n");
    CliHarness.Result all = div.run("get", "approvals", "-A", "-l", "team=web");
    assertThat(all.out()).startsWith("NAMESPACE").contains("default").contains("other");
    div.env.put("DIV_NAMESPACE", "other");
    assertThat(div.run("get", "approvals", "-o", "name").out())
        .isEqualTo("approval/b1\napproval/b2\n");
  }

  @Test
  void kindsResolveByKindSingularPluralAndShortNameInAnyCase() throws Exception {
    div.run("apply", "-f", div.write("a.yaml", APPROVALS).toString());
    for (String name : new String[] {"Approval", "approval", "APPROVALS", "approvals"}) {
      assertThat(div.run("get", name, "-o", "name").out()).as(name).contains("approval/a1");
    }
    assertThat(div.run("get", "crds").code()).isZero();
  }

  @Test
  void anEmptyListSaysSoOnStderrAndSucceeds() {
    CliHarness.Result r = div.run("get", "approvals");
    assertThat(r.code()).isZero();
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo("No resources found in default namespace.\n");
  }

  @Test
  void getOfAMissingNameFailsWithOneLine() {
    CliHarness.Result r = div.run("get", "approval", "nope");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("error: approval \"nope\" not found in namespace \"default\"\n");
  }

  @Test
  void anUnknownKindIsAOneLineError() {
    CliHarness.Result r = div.run("get", "widgets");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err().strip())
        .isEqualTo(
            "error: the store doesn't have a resource type \"widgets\" (apply its CustomResourceDefinition first)");
  }

  @Test
  void aMissingArgumentIsAUsageError() {
    CliHarness.Result r = div.run("get");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().lines()).hasSize(1);
    assertThat(r.err()).startsWith("error: Missing required parameter: 'KIND'");
  }

  @Test
  void malformedYamlNamesTheFileAndDocumentAndWritesNothing() throws Exception {
    Path file =
        div.write(
            "bad.yaml",
            "kind: Approval\nmetadata: {name: ok}\n---\nkind: Approval\nmetadata: {name: [unclosed\n");
    CliHarness.Result r = div.run("apply", "-f", file.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err().lines()).hasSize(1);
    assertThat(r.err()).startsWith("error: " + file + " document 2: invalid YAML");
    assertThat(div.run("get", "approvals", "-o", "name").out()).isEmpty();
  }

  @Test
  void malformedJsonNamesTheFileAndPosition() throws Exception {
    Path file = div.write("bad.json", "{\"kind\": \"Approval\", \"metadata\": {\"name\": \"x\"}");
    CliHarness.Result r = div.run("apply", "-f", file.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err())
        .startsWith("error: " + file + " document 1: invalid JSON")
        .contains("line 1");
  }

  @Test
  void anInvalidNameOrLabelFailsTheWholeApply() throws Exception {
    Path file =
        div.write(
            "bad.yaml",
            "kind: Approval\nmetadata: {name: fine}\n---\nkind: Approval\nmetadata: {name: Not_Valid}\n");
    CliHarness.Result r = div.run("apply", "-f", file.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err())
        .startsWith(
            "error: "
                + file
                + " document 2 (approval/Not_Valid): metadata.name \"Not_Valid\" is invalid");
    Path labels =
        div.write(
            "labels.yaml", "kind: Approval\nmetadata: {name: ok, labels: {team: 'no spaces'}}\n");
    CliHarness.Result l = div.run("apply", "-f", labels.toString());
    assertThat(l.code()).isEqualTo(1);
    assertThat(l.err()).contains("document 1").contains("metadata.labels.team");
    assertThat(div.run("get", "approvals", "-o", "name").out()).isEmpty();
  }

  @Test
  void missingKindOrNameAndUnknownKindAreReportedPerDocument() throws Exception {
    assertThat(
            div.run("apply", "-f", div.write("k.yaml", "metadata: {name: x}\n").toString()).err())
        .contains("document 1: kind is required");
    assertThat(
            div.run("apply", "-f", div.write("n.yaml", "kind: Approval\nspec: {}\n").toString())
                .err())
        .contains("document 1: metadata.name is required");
    assertThat(
            div.run(
                    "apply",
                    "-f",
                    div.write("u.yaml", "kind: Widget\nmetadata: {name: x}\n").toString())
                .err())
        .contains("document 1: the store doesn't have a resource type \"Widget\"");
  }

  @Test
  void anUnreadableFileIsAOneLineError() {
    CliHarness.Result r = div.run("apply", "-f", home.resolve("missing.yaml").toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("error: " + home.resolve("missing.yaml") + ": no such file\n");
  }

  @Test
  void aStaleResourceVersionIsAConflictAndOverwritesNothing() throws Exception {
    div.run("apply", "-f", div.write("a.yaml", APPROVALS).toString());
    String read = div.run("get", "approval", "a2", "-o", "json").out();
    div.run(
        "apply",
        "-f",
        div.write("approved.yaml", APPROVALS.replace("Pending", "Approved")).toString());
    Path stale = div.write("stale.json", read.replace("Pending", "Rejected"));
    CliHarness.Result r = div.run("apply", "-f", stale.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err())
        .startsWith(
            "error: " + stale + " document 1: Operation cannot be fulfilled on approval/a2");
    assertThat(div.run("get", "approval", "a2", "-o", "jsonpath={.status.phase}").out())
        .isEqualTo("Approved");
  }

  @Test
  void aCrdWithASchemaMakesANewKindAndRejectsViolations() throws Exception {
    String crd =
        """
        kind: CustomResourceDefinition
        metadata: {name: widgets.example.com}
        spec:
          scope: Namespaced
          names: {kind: Widget, shortNames: [wd]}
          additionalPrinterColumns:
          - {name: Size, type: integer, jsonPath: .spec.size}
          openAPIV3Schema:
            type: object
            properties:
              spec:
                type: object
                required: [size]
                properties:
                  size: {type: integer, minimum: 1}
        """;
    assertThat(div.run("apply", "-f", div.write("crd.yaml", crd).toString()).out())
        .isEqualTo("customresourcedefinition/widgets.example.com created\n");
    assertThat(
            div.run(
                    "apply",
                    "-f",
                    div.write("w.yaml", "kind: Widget\nmetadata: {name: w1}\nspec: {size: 3}\n")
                        .toString())
                .code())
        .isZero();
    assertThat(div.run("get", "wd").out())
        .containsPattern("NAME\\s+SIZE\\s+AGE")
        .containsPattern("w1\\s+3\\s+");
    CliHarness.Result bad =
        div.run(
            "apply",
            "-f",
            div.write("bad.yaml", "kind: Widget\nmetadata: {name: w2}\nspec: {size: big}\n")
                .toString());
    assertThat(bad.code()).isEqualTo(1);
    assertThat(bad.err()).contains("document 1 (widget/w2): schema:").contains("size");
    assertThat(div.run("get", "widgets", "-o", "name").out()).isEqualTo("widget/w1\n");
  }

  @Test
  void aCrdAndItsObjectsCanBeAppliedTogether() throws Exception {
    String both =
        "kind: CustomResourceDefinition\nmetadata: {name: gadget}\nspec: {names: {kind: Gadget}}\n---\nkind: Gadget\nmetadata: {name: g1}\n";
    CliHarness.Result r = div.run("apply", "-f", div.write("both.yaml", both).toString());
    assertThat(r.out()).isEqualTo("customresourcedefinition/gadget created\ngadget/g1 created\n");
    assertThat(div.run("get", "gadgets", "-o", "name").out()).isEqualTo("gadget/g1\n");
  }

  @Test
  void staticConfigurationDeclaresKindsInDivYamlAsTheOriginalReadmeShows() throws Exception {
    Path config =
        div.write(
            "cfg/div.yaml",
            """
        metadata:
          name: static
        spec:
          source: "sqlite:static.db"
          customResourceDefinitions:
          - kind: CustomResourceDefinition
            metadata:
              name: myresource
            spec:
              names:
                kind: MyResource
        """);
    Path foo = div.write("foo.yaml", "kind: MyResource\nmetadata: {name: foo}\n");
    assertThat(div.run("--config", config.toString(), "apply", "-f", foo.toString()).out())
        .isEqualTo("myresource/foo created\n");
    assertThat(div.run("--config", config.toString(), "get", "myresources", "-o", "name").out())
        .isEqualTo("myresource/foo\n");
    assertThat(Files.exists(home.resolve("cfg/static.db")))
        .as("sqlite path relative to div.yaml")
        .isTrue();
    assertThat(div.run("--config", config.toString(), "delete", "myresource", "foo").out())
        .isEqualTo("myresource \"foo\" deleted\n");
    div.env.put("DIV_CONFIG", config.toString());
    assertThat(div.run("get", "myresources").err()).startsWith("No resources found");
  }

  @Test
  void deleteByNameFileAndSelector() throws Exception {
    Path file = div.write("a.yaml", APPROVALS);
    div.run("apply", "-f", file.toString());
    assertThat(div.run("delete", "approvals", "-l", "team=web").out())
        .isEqualTo("approval \"a1\" deleted\n");
    assertThat(div.run("delete", "-f", file.toString()).err()).contains("approval/a1 not found");
    div.run("apply", "-f", file.toString());
    assertThat(div.run("delete", "approval", "a1", "a2").out())
        .isEqualTo("approval \"a1\" deleted\napproval \"a2\" deleted\n");
    CliHarness.Result missing = div.run("delete", "approval", "a1");
    assertThat(missing.code()).isEqualTo(1);
    assertThat(div.run("delete", "approval", "a1", "--ignore-not-found").code()).isZero();
  }

  @Test
  void aMalformedSelectorIsAOneLineError() {
    CliHarness.Result r = div.run("get", "approvals", "-l", "team in (web");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err().lines()).hasSize(1);
    assertThat(r.err()).contains("team in (web");
  }

  @Test
  void initWritesADivYamlAndRefusesToOverwrite() throws Exception {
    Path cfg = home.resolve("div.yaml");
    CliHarness.Result r =
        div.run(
            "--config", cfg.toString(), "init", "--source", "dynamodb", "--region", "us-east-1");
    assertThat(r.code()).isZero();
    assertThat(Files.readString(cfg)).contains("source: \"dynamodb://div?region=us-east-1\"");
    CliHarness.Result again = div.run("--config", cfg.toString(), "init");
    assertThat(again.code()).isEqualTo(1);
    assertThat(again.err()).contains("already exists");
    assertThat(div.run("--config", cfg.toString(), "init", "--force").code()).isZero();
    assertThat(Files.readString(cfg)).contains("source: \"sqlite:division.db\"");
  }

  @Test
  void templateRendersOnceperNdjsonLine() throws Exception {
    Path tpl =
        div.write(
            "a.yaml.tpl",
            "kind: Approval\nmetadata:\n  name: {{name}}\nspec:\n  requester: \"{{who}}\"\n");
    CliHarness.Result r =
        div.runWithInput(
            "{\"name\":\"a1\",\"who\":\"<ci>\"}\n{\"name\":\"a2\",\"who\":\"x\"}\n",
            "template",
            "-f",
            tpl.toString());
    assertThat(r.code()).isZero();
    assertThat(r.out())
        .isEqualTo(
            "kind: Approval\nmetadata:\n  name: a1\nspec:\n  requester: \"<ci>\"\n---\nkind: Approval\nmetadata:\n  name: a2\nspec:\n  requester: \"x\"\n");
    CliHarness.Result bad =
        div.runWithInput("{\"name\":\"a1\"}\nnot json\n", "template", "-f", tpl.toString());
    assertThat(bad.code()).isEqualTo(1);
    assertThat(bad.err()).startsWith("error: input line 2: not a JSON object");
    assertThat(bad.out()).as("nothing is written when a line is bad").isEmpty();
  }

  @Test
  void completionPrintsAScriptForBashAndZsh() {
    assertThat(div.run("completion", "bash").out()).contains("complete -F").contains("div");
    assertThat(div.run("completion", "zsh").out())
        .startsWith("#compdef div")
        .contains("bashcompinit");
    assertThat(div.run("completion", "fish").code()).isEqualTo(2);
  }

  @Test
  void genIamPolicyIsScopedToTheNamedKindsTables() {
    CliHarness.Result r =
        div.run(
            "gen",
            "iampolicy",
            "readonly",
            "approvals",
            "--region",
            "eu-west-1",
            "--account",
            "123456789012");
    assertThat(r.code()).isZero();
    assertThat(r.out())
        .contains("arn:aws:dynamodb:eu-west-1:123456789012:table/div.Approval.ns.default")
        .contains("dynamodb:GetItem")
        .doesNotContain("dynamodb:PutItem")
        .doesNotContain("div.Install");
    CliHarness.Result bad = div.run("gen", "iampolicy", "rw", "approval");
    assertThat(bad.code()).isEqualTo(1);
    assertThat(bad.err())
        .isEqualTo("error: unknown access \"rw\": use readonly, writeonly or readwrite\n");
  }

  @Test
  void patchChangesAFieldThatAlreadyExists() throws Exception {
    div.run("apply", "-f", div.write("a.yaml", APPROVALS).toString());
    CliHarness.Result r =
        div.run(
            "patch",
            "approval",
            "a2",
            "--type",
            "merge",
            "-p",
            "{\"status\":{\"phase\":\"Approved\"}}");
    assertThat(r.out()).isEqualTo("approval/a2 patched\n");
    assertThat(div.run("get", "approval", "a2", "-o", "jsonpath={.status.phase}").out())
        .isEqualTo("Approved");
  }

  @Test
  void onlyApprovalsCanBeApprovedOrRejected() throws Exception {
    div.run("apply", "-f", div.write("w.yaml", "kind: Project\nmetadata: {name: p1}\n").toString());
    CliHarness.Result r = div.run("approve", "project", "p1");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err())
        .isEqualTo("error: only approvals can be approved or rejected, not a Project\n");
    assertThat(div.run("get", "project", "p1", "-o", "json").out()).doesNotContain("Approved");
  }

  @Test
  void anEmptySelectorNeverDeletesEverything() throws Exception {
    div.run("apply", "-f", div.write("a.yaml", APPROVALS).toString());
    CliHarness.Result r = div.run("delete", "approvals", "-l", "");
    assertThat(r.code()).isEqualTo(2);
    assertThat(div.run("get", "approvals", "-o", "name").out())
        .isEqualTo("approval/a1\napproval/a2\n");
  }

  @Test
  void severalKindSlashNameArgumentsGetThoseResources() throws Exception {
    div.run("apply", "-f", div.write("a.yaml", APPROVALS).toString());
    assertThat(div.run("get", "approval/a1", "approval/a2", "-o", "name").out())
        .isEqualTo("approval/a1\napproval/a2\n");
    CliHarness.Result mixed = div.run("get", "approval/a1", "a2");
    assertThat(mixed.code()).isEqualTo(2);
    assertThat(mixed.err()).contains("every argument is KIND/NAME");
    CliHarness.Result other = div.run("get", "approval/a1", "project/p");
    assertThat(other.out()).contains("approval/a1");
    assertThat(other.err()).isEqualTo("error: project \"p\" not found\n");
    assertThat(other.code()).isEqualTo(1);
  }

  @Test
  void logsWriteFromADirectoryIsAOneLineError() {
    CliHarness.Result created =
        div.runWithInput(
            "{\"kind\":\"Approval\",\"metadata\":{\"name\":\"l1\"}}", "apply", "-f", "-");
    assertThat(created.code()).isZero();
    CliHarness.Result r = div.run("logs", "write", "approval", "l1", "-f", home.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("error: " + home + ": is a directory\n");
  }

  @Test
  void templatePipedToACommandThatFailsReportsItsExitCode() throws Exception {
    Path tpl = div.write("t.tpl", "name: {{name}}\n");
    CliHarness.Result r =
        div.runWithInput(
            "{\"name\":\"x\"}\n", "template", "-f", tpl.toString(), "--pipe-to", "false");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("error: input line 1: false exited with 1\n");
  }

  @Test
  void failWhenWithForDeleteIsAUsageError() {
    CliHarness.Result r =
        div.run(
            "wait", "approval", "x", "--for", "delete", "--fail-when", "status.phase = 'Failed'");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo("error: a failure condition does not apply to a wait for delete\n");
  }

  @Test
  void theSameResourceTwiceInOneApplyNamesBothDocuments() throws Exception {
    Path file =
        div.write(
            "dup.yaml",
            "kind: Approval\nmetadata: {name: d1}\n---\nkind: Approval\nmetadata: {name: d1}\n");
    CliHarness.Result r = div.run("apply", "-f", file.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err())
        .isEqualTo(
            "error: "
                + file
                + " document 2: approval/d1 is also in "
                + file
                + " document 1; one apply writes each resource once\n");
  }

  @Test
  void aKeyGivenTwiceInADocumentIsAnError() throws Exception {
    Path file = div.write("twice.yaml", "kind: Approval\nkind: Project\nmetadata: {name: t1}\n");
    CliHarness.Result r = div.run("apply", "-f", file.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err())
        .startsWith("error: " + file + " document 1: invalid YAML: Duplicate field 'kind'");
    assertThat(div.run("get", "projects", "-o", "name").out()).isEmpty();
  }

  @Test
  void theWholeExamplesFolderApplies() {
    CliHarness.Result r =
        div.run("apply", "-f", CliHarness.repoRoot().resolve("examples").toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("approval/myjob1approval created")
        .contains("application/mumoshu-microservices-myapp1 created");
  }

  @Test
  void versionPrintsTheClientVersion() {
    assertThat(div.run("version").out()).startsWith("Client Version: v");
  }
}
