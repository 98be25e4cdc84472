package io.division.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.division.core.model.Json;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What scripts written for kubectl rely on in get's output, through ./div in separate processes.
 */
class KubectlOutputIT {
  @TempDir Path home;
  CliHarness div;

  @BeforeEach
  void setUp() throws Exception {
    div = new CliHarness(home);
    assertThat(
            div.exec(
                    "apply",
                    "-f",
                    CliHarness.repoRoot().resolve("examples/widget.crd.yaml").toString())
                .code())
        .isZero();
  }

  private void apply(String json) throws Exception {
    CliHarness.Result r = div.execWithInput(json, "apply", "-f", "-");
    assertThat(r.code()).as(r.err()).isZero();
  }

  @Test
  void anEmptyListIsAnEmptyListInJsonAndYaml() throws Exception {
    CliHarness.Result json = div.exec("get", "approvals", "-n", "empty", "-o", "json");
    assertThat(json.code()).isZero();
    JsonNode list = Json.parse(json.out());
    assertThat(list.path("kind").asText()).isEqualTo("List");
    assertThat(list.path("items").isArray()).isTrue();
    assertThat(list.path("items")).isEmpty();
    CliHarness.Result yaml = div.exec("get", "approvals", "-n", "empty", "-o", "yaml");
    assertThat(yaml.code()).isZero();
    assertThat(yaml.out()).contains("kind: List").contains("items: []");
    CliHarness.Result table = div.exec("get", "approvals", "-n", "empty");
    assertThat(table.out()).isEmpty();
    assertThat(table.err()).isEqualTo("No resources found in empty namespace.\n");
  }

  @Test
  void yamlQuotesStringsThatOtherReadersTakeForOtherTypesAndRoundTrips() throws Exception {
    // A kind without a schema: any spec goes.
    apply(
        "{\"kind\":\"CustomResourceDefinition\",\"metadata\":{\"name\":\"things.example.com\"},"
            + "\"spec\":{\"names\":{\"kind\":\"Thing\"}}}");
    apply(
        "{\"kind\":\"Thing\",\"metadata\":{\"name\":\"d1\",\"labels\":{\"n\":\"0x1F\"}},"
            + "\"spec\":{\"date\":\"2024-01-01\",\"at\":\"2024-01-01T10:00:00Z\",\"octal\":\"0755\","
            + "\"time\":\"1:20\",\"yes\":\"yes\",\"inf\":\".inf\",\"n\":3}}");
    CliHarness.Result yaml = div.exec("get", "thing", "d1", "-o", "yaml");
    assertThat(yaml.out())
        .contains("date: \"2024-01-01\"")
        .contains("at: \"2024-01-01T10:00:00Z\"")
        .contains("octal: \"0755\"")
        .contains("time: \"1:20\"")
        .contains("\"yes\": \"yes\"")
        .contains("inf: \".inf\"")
        .contains("\"n\": \"0x1F\"")
        .contains("\"n\": 3")
        .containsPattern("creationTimestamp: \"\\d{4}-");
    // get -o yaml | apply -f - sees the same types: nothing changes.
    CliHarness.Result again = div.execWithInput(yaml.out(), "apply", "-f", "-");
    assertThat(again.out()).as(again.err()).isEqualTo("thing/d1 unchanged\n");
    JsonNode spec = Json.parse(div.exec("get", "thing", "d1", "-o", "json").out()).path("spec");
    assertThat(spec.path("date").isTextual()).isTrue();
    assertThat(spec.path("n").isInt()).isTrue();
  }

  @Test
  void severalKindNameArgumentsOfMixedKindsWorkInGetAndDelete() throws Exception {
    apply("{\"kind\":\"Approval\",\"metadata\":{\"name\":\"a1\"}}");
    apply("{\"kind\":\"Approval\",\"metadata\":{\"name\":\"a2\"}}");
    apply("{\"kind\":\"Widget\",\"metadata\":{\"name\":\"w1\"},\"spec\":{\"size\":2}}");

    CliHarness.Result names = div.exec("get", "approval/a1", "widget/w1", "-o", "name");
    assertThat(names.code()).as(names.err()).isZero();
    assertThat(names.out()).isEqualTo("approval/a1\nwidget/w1\n");
    CliHarness.Result table = div.exec("get", "approval/a1", "widget/w1", "approval/a2");
    assertThat(table.out()).contains("approval/a1").contains("approval/a2").contains("widget/w1");
    JsonNode list = Json.parse(div.exec("get", "approval/a1", "widget/w1", "-o", "json").out());
    assertThat(list.path("items")).hasSize(2);

    CliHarness.Result missing =
        div.exec("delete", "widget/nope", "approval/a2", "--ignore-not-found");
    assertThat(missing.code()).isZero();
    assertThat(missing.out()).isEqualTo("approval \"a2\" deleted\n");
    CliHarness.Result both = div.exec("delete", "approval/a1", "widget/w1");
    assertThat(both.code()).as(both.err()).isZero();
    assertThat(both.out()).isEqualTo("approval \"a1\" deleted\nwidget \"w1\" deleted\n");
    assertThat(div.exec("get", "approvals,widgets", "-o", "name").out()).isEmpty();
  }

  @Test
  void jsonPathSupportsKubectlSyntaxAndRejectsWhatItCannotDo() throws Exception {
    apply(
        "{\"kind\":\"Approval\",\"metadata\":{\"name\":\"a1\"},\"status\":{\"phase\":\"Approved\","
            + "\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}}");
    apply(
        "{\"kind\":\"Approval\",\"metadata\":{\"name\":\"a2\"},\"status\":{\"phase\":\"Pending\"}}");

    assertThat(div.exec("get", "approvals", "-o", "jsonpath={..name}").out()).isEqualTo("a1 a2");
    assertThat(
            div.exec(
                    "get",
                    "approvals",
                    "-o",
                    "jsonpath={.items[*]['metadata.name', 'status.phase']}")
                .out())
        .isEqualTo("a1 a2 Approved Pending");
    assertThat(
            div.exec(
                    "get",
                    "approvals",
                    "-o",
                    "jsonpath={.items[?(@.status.phase==\"Pending\")].metadata.name}")
                .out())
        .isEqualTo("a2");
    assertThat(
            div.exec(
                    "get",
                    "approval",
                    "a1",
                    "-o",
                    "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}")
                .out())
        .isEqualTo("True");
    assertThat(div.exec("get", "approvals", "-o", "jsonpath={.items[1:].metadata.name}").out())
        .isEqualTo("a2");

    for (String bad :
        new String[] {
          "jsonpath={.items[5].metadata.name}",
          "jsonpath={.items[0].metadata[0]}",
          "jsonpath={items}",
          "jsonpath={.items[?(@.x=~1)]}",
          "jsonpath={.items[0]"
        }) {
      CliHarness.Result r = div.exec("get", "approvals", "-o", bad);
      assertThat(r.code()).as(bad).isNotZero();
      assertThat(r.out()).as(bad).isEmpty();
      assertThat(r.err()).as(bad).startsWith("error: ").doesNotContain("\n\t").hasLineCount(1);
    }
  }

  @Test
  void tableFlagsFromKubectl() throws Exception {
    apply(
        "{\"kind\":\"Widget\",\"metadata\":{\"name\":\"w-b\",\"labels\":{\"tier\":\"web\",\"rank\":\"7\"}},"
            + "\"spec\":{\"size\":2},\"status\":{\"phase\":\"Done\"}}");
    apply(
        "{\"kind\":\"Widget\",\"metadata\":{\"name\":\"w-a\",\"labels\":{\"rank\":\"2\"}},"
            + "\"spec\":{\"size\":10},\"status\":{\"phase\":\"Running\"}}");

    CliHarness.Result cc =
        div.exec(
            "get",
            "widgets",
            "-o",
            "custom-columns=NAME:.metadata.name,SIZE:.spec.size,TIER:.metadata.labels.tier",
            "--sort-by",
            ".spec.size");
    assertThat(cc.out())
        .isEqualTo("NAME   SIZE   TIER\n" + "w-b    2      web\n" + "w-a    10     <none>\n");
    assertThat(
            div.exec("get", "widgets", "--no-headers", "-o", "custom-columns=N:metadata.name")
                .out())
        .isEqualTo("w-a\nw-b\n");
    assertThat(div.exec("get", "widgets", "--show-labels").out().lines().toList().get(0))
        .matches("NAME +SIZE +AGE +LABELS");
    assertThat(div.exec("get", "widgets", "--show-labels").out()).contains("rank=7,tier=web");
    assertThat(div.exec("get", "widgets", "-L", "tier", "-L", "rank").out().lines().toList())
        .first()
        .asString()
        .matches("NAME +SIZE +AGE +TIER +RANK");
    assertThat(
            div.exec("get", "widgets", "--field-selector", "status.phase=Done", "-o", "name").out())
        .isEqualTo("widget/w-b\n");
    assertThat(
            div.exec("get", "widgets", "--field-selector", "metadata.name!=w-b", "-o", "name")
                .out())
        .isEqualTo("widget/w-a\n");
    assertThat(div.exec("get", "widgets", "-l", "rank>3", "-o", "name").out())
        .isEqualTo("widget/w-b\n");
    assertThat(div.exec("get", "widgets", "-l", "rank<3", "-o", "name").out())
        .isEqualTo("widget/w-a\n");

    CliHarness.Result badField = div.exec("get", "widgets", "--field-selector", "spec.colour=red");
    assertThat(badField.code()).isNotZero();
    assertThat(badField.err()).contains("spec.colour").contains("supported").hasLineCount(1);
    CliHarness.Result badSort = div.exec("get", "widgets", "--sort-by", ".spec.nothing");
    assertThat(badSort.code()).isNotZero();
    assertThat(badSort.err()).contains("no object has this field");
  }

  @Test
  void watchRowsLineUpUnderTheFirstTable() throws Exception {
    apply(
        "{\"kind\":\"Widget\",\"metadata\":{\"name\":\"a-rather-long-widget-name\"},\"spec\":{\"size\":2}}");
    Process watch = div.process(java.util.List.of("get", "widgets", "--watch")).start();
    try {
      watch.getOutputStream().close();
      java.util.List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
      Thread reader =
          new Thread(
              () -> {
                try (java.io.BufferedReader r =
                    new java.io.BufferedReader(
                        new java.io.InputStreamReader(
                            watch.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
                  String line;
                  while ((line = r.readLine()) != null) lines.add(line);
                } catch (java.io.IOException e) {
                  // the process ended
                }
              });
      reader.setDaemon(true);
      reader.start();
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(60))
          .until(() -> lines.size() >= 2);
      apply("{\"kind\":\"Widget\",\"metadata\":{\"name\":\"w\"},\"spec\":{\"size\":30}}");
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(60))
          .until(() -> lines.size() >= 3);
      String header = lines.get(0);
      String later = lines.get(2);
      assertThat(later).startsWith("w ");
      assertThat(later.indexOf("30")).isEqualTo(header.indexOf("SIZE"));
      assertThat(lines.get(1).indexOf("2 ")).isEqualTo(header.indexOf("SIZE"));
    } finally {
      new ProcessBuilder("kill", "-INT", Long.toString(watch.pid())).start().waitFor();
      if (!watch.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) watch.destroyForcibly();
    }
  }
}
