package io.division.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.division.core.store.dynamodb.DynamoDbLocalExtension;
import io.division.core.store.dynamodb.DynamoDbLocalServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * ./div against DynamoDB Local (the real engine, in this JVM, on 127.0.0.1): apply, get, wait,
 * logs.
 */
@ExtendWith(DynamoDbLocalExtension.class)
class DynamoCliIT {
  static DynamoDbLocalServer server;
  @TempDir Path home;

  @BeforeAll
  static void server(DynamoDbLocalServer shared) {
    server = shared;
  }

  private CliHarness div() throws Exception {
    return new CliHarness(home).onDynamoDb(server);
  }

  @Test
  void applyGetWaitAndLogsWorkThroughDivOnDynamoDb() throws Exception {
    CliHarness div = div();
    Path crd = CliHarness.repoRoot().resolve("examples/widget.crd.yaml");
    assertThat(div.exec("apply", "-f", crd.toString()).out())
        .isEqualTo("customresourcedefinition/widgets.example.com created\n");
    CliHarness.Result applied =
        div.execWithInput(
            "kind: Widget\nmetadata: {name: w1, labels: {team: web}}\nspec: {size: 2}\n",
            "apply",
            "-f",
            "-");
    assertThat(applied.code()).as(applied.err()).isZero();
    assertThat(div.exec("get", "widgets", "-l", "team=web").out()).containsPattern("w1\\s+2\\s+");

    Process waiter =
        div.process(
                List.of(
                    "wait", "widget", "w1", "status.phase = 'Done'", "--logs", "--timeout", "1m"))
            .redirectOutput(home.resolve("wait.out").toFile())
            .redirectError(home.resolve("wait.err").toFile())
            .start();
    div.execWithInput("building\nready\n", "logs", "write", "widget", "w1", "-f", "-");
    assertThat(
            div.exec(
                    "patch",
                    "widget",
                    "w1",
                    "--type",
                    "merge",
                    "-p",
                    "{\"status\":{\"phase\":\"Done\"}}")
                .code())
        .isZero();
    assertThat(waiter.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(waiter.exitValue()).as(Files.readString(home.resolve("wait.err"))).isZero();
    assertThat(Files.readString(home.resolve("wait.out"))).isEqualTo("widget/w1 condition met\n");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> Files.readString(home.resolve("wait.err")).contains("ready"));
    assertThat(div.exec("logs", "read", "widget", "w1").out()).isEqualTo("building\nready\n");
    CliHarness.Result bad =
        div.execWithInput(
            "kind: Widget\nmetadata: {name: w2}\nspec: {size: 0}\n", "apply", "-f", "-");
    assertThat(bad.code()).isEqualTo(1);
    assertThat(bad.err()).contains("schema:");
  }

  @Test
  void aStaleApplyIsAConflictOnDynamoDbToo() throws Exception {
    CliHarness div = div();
    div.execWithInput("{\"kind\":\"Approval\",\"metadata\":{\"name\":\"a1\"}}", "apply", "-f", "-");
    String read = div.exec("get", "approval", "a1", "-o", "json").out();
    div.exec("approve", "approval", "a1", "--as", "alice");
    CliHarness.Result stale =
        div.execWithInput(
            read.replace("\"kind\"", "\"status\": {\"phase\": \"Rejected\"}, \"kind\""),
            "apply",
            "-f",
            "-");
    assertThat(stale.code()).isEqualTo(1);
    assertThat(stale.err()).contains("Operation cannot be fulfilled on approval/a1");
    assertThat(div.exec("get", "approval", "a1", "-o", "jsonpath={.status.phase}").out())
        .isEqualTo("Approved");
  }
}
