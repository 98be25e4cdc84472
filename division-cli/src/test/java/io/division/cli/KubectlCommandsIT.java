package io.division.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands kubectl users reach for, through ./div in separate processes. */
class KubectlCommandsIT {
  @TempDir Path home;
  CliHarness div;

  @BeforeEach
  void setUp() {
    div = new CliHarness(home);
  }

  private void apply(String json, String... extra) throws Exception {
    String[] args = new String[3 + extra.length];
    args[0] = "apply";
    args[1] = "-f";
    args[2] = "-";
    System.arraycopy(extra, 0, args, 3, extra.length);
    CliHarness.Result r = div.execWithInput(json, args);
    assertThat(r.code()).as(r.err()).isZero();
  }

  @Test
  void applyWithANamespaceRefusesADocumentForAnotherNamespace() throws Exception {
    String doc = "{\"kind\":\"Approval\",\"metadata\":{\"name\":\"x\",\"namespace\":\"team-c\"}}";
    CliHarness.Result refused = div.execWithInput(doc, "apply", "-n", "team-a", "-f", "-");
    assertThat(refused.code()).isEqualTo(ExitCodes.ERROR);
    assertThat(refused.err())
        .contains("namespace \"team-c\" does not match the namespace \"team-a\"")
        .hasLineCount(1);
    assertThat(div.exec("get", "approvals", "-A", "-o", "name").out()).isEmpty();
    // Without -n the document's own namespace is used, as kubectl does.
    apply(doc);
    assertThat(div.exec("get", "approval", "x", "-n", "team-c", "-o", "name").out())
        .isEqualTo("approval/x\n");
  }

  @Test
  void dryRunsAndDiffShowWhatAnApplyWouldDoWithoutWriting() throws Exception {
    apply("{\"kind\":\"Approval\",\"metadata\":{\"name\":\"a1\"},\"spec\":{\"reason\":\"old\"}}");
    Path file = home.resolve("a.yaml");
    Files.writeString(
        file,
        "kind: Approval\nmetadata:\n  name: a1\nspec:\n  reason: new\n---\n"
            + "kind: Approval\nmetadata:\n  name: a2\n");

    CliHarness.Result server = div.exec("apply", "-f", file.toString(), "--dry-run=server");
    assertThat(server.out())
        .isEqualTo(
            "approval/a1 configured (server dry run)\napproval/a2 created (server dry run)\n");
    CliHarness.Result client = div.exec("apply", "-f", file.toString(), "--dry-run=client");
    assertThat(client.code()).isZero();
    assertThat(client.out()).contains("approval/a1").contains("approval/a2");

    CliHarness.Result diff = div.exec("diff", "-f", file.toString());
    assertThat(diff.code()).as(diff.err()).isEqualTo(1);
    assertThat(diff.out())
        .contains("--- live/approval/default/a1")
        .contains("+++ merged/approval/default/a1")
        .contains("-  reason: old")
        .contains("+  reason: new")
        .contains("--- /dev/null")
        .contains("+++ merged/approval/default/a2");
    // Nothing was written by any of them.
    assertThat(div.exec("get", "approvals", "-o", "jsonpath={.items[*].spec.reason}").out())
        .isEqualTo("old");

    assertThat(div.exec("apply", "-f", file.toString()).code()).isZero();
    CliHarness.Result same = div.exec("diff", "-f", file.toString());
    assertThat(same.code()).isZero();
    assertThat(same.out()).isEmpty();
    CliHarness.Result bad =
        div.execWithInput("kind: Nope\nmetadata: {name: x}\n", "diff", "-f", "-");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).startsWith("error: ").hasLineCount(1);
  }

  @Test
  void describeShowsSpecStatusConditionsLogsAndRelatedResources() throws Exception {
    apply(
        "{\"kind\":\"Deployment\",\"metadata\":{\"name\":\"web\"},\"spec\":{\"app\":\"web\",\"ref\":\"v1\"}}");
    apply(
        "{\"kind\":\"Install\",\"metadata\":{\"name\":\"web-c1-v1\",\"labels\":{\"division.io/app\":\"web\","
            + "\"division.io/cluster\":\"c1\"}},\"spec\":{\"app\":\"web\",\"cluster\":\"c1\",\"ref\":\"v1\"},"
            + "\"status\":{\"phase\":\"Succeeded\",\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\","
            + "\"reason\":\"Done\",\"message\":\"installed\"}]}}");
    apply(
        "{\"kind\":\"Release\",\"metadata\":{\"name\":\"web-c1\",\"labels\":{\"division.io/app\":\"web\","
            + "\"division.io/cluster\":\"c1\"}},\"spec\":{\"app\":\"web\",\"cluster\":\"c1\"},"
            + "\"status\":{\"install\":\"web-c1-v1\",\"outcome\":\"Started\",\"ref\":\"v1\"}}");
    CliHarness.Result logged =
        div.execWithInput(
            "line one\nline two\n", "logs", "write", "install", "web-c1-v1", "-f", "-");
    assertThat(logged.code()).as(logged.err()).isZero();

    CliHarness.Result install = div.exec("describe", "install", "web-c1-v1");
    assertThat(install.code()).as(install.err()).isZero();
    assertThat(install.out())
        .contains("Name:         web-c1-v1")
        .contains("Spec:\n  app: web")
        .contains("Status:\n  phase: Succeeded")
        .containsPattern("Ready +True +Done .*installed")
        .containsPattern("Release +c1 +release/web-c1 +Started")
        .containsPattern("Deployment +deployment/web")
        .contains("line two");

    CliHarness.Result deployment = div.exec("describe", "deployment/web");
    assertThat(deployment.out())
        .containsPattern("Release +c1 +release/web-c1")
        .containsPattern("Install +c1 +install/web-c1-v1 +Succeeded");

    CliHarness.Result missing = div.exec("describe", "install", "nope");
    assertThat(missing.code()).isEqualTo(ExitCodes.ERROR);
    assertThat(missing.err()).contains("not found").hasLineCount(1);

    // kubectl's shorthand for reading a log.
    CliHarness.Result logs = div.exec("logs", "install/web-c1-v1", "--tail", "1");
    assertThat(logs.out()).isEqualTo("line two\n");
  }

  @Test
  void typosGetASuggestion() throws Exception {
    CliHarness.Result command = div.exec("gte", "approvals");
    assertThat(command.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(command.err()).contains("did you mean get?").hasLineCount(1);
    CliHarness.Result kind = div.exec("get", "aprovals");
    assertThat(kind.code()).isNotZero();
    assertThat(kind.err()).contains("did you mean \"approvals\"?").hasLineCount(1);
  }

  @Test
  void completionOffersKindsAndNamesFromTheStore() throws Exception {
    apply("{\"kind\":\"Approval\",\"metadata\":{\"name\":\"a1\"}}");
    assertThat(div.exec("__complete", "kinds").out())
        .contains("approvals\n")
        .contains("installs\n");
    assertThat(div.exec("__complete", "names", "approval").out()).isEqualTo("a1\n");
    String bash = div.exec("completion", "bash").out();
    assertThat(bash).contains("div __complete kinds").contains("complete -F _div_resources");
    assertThat(div.exec("completion", "zsh", "--help").out())
        .contains("div completion zsh > \"${fpath[1]}/_div\"");
  }

  @Test
  void helpWrapsToTheTerminalButKeepsExamplesWhole() throws Exception {
    div.env.put("COLUMNS", "60");
    String help = div.exec("get", "--help").out();
    assertThat(help)
        .contains(
            "  div get installs -o custom-columns=NAME:.metadata.name,CLUSTER:.spec.cluster\n");
    assertThat(help.lines().filter(l -> !l.startsWith("  div ")))
        .allMatch(l -> l.length() <= 60, "at most 60 columns");
    String apply = div.exec("apply", "--help").out();
    assertThat(apply.lines().filter(l -> !l.startsWith("  ")))
        .allMatch(l -> l.length() <= 60, "at most 60 columns");
  }

  @Test
  void theReadmeCommandTableListsEveryCommandOfHelpInItsOrder() throws Exception {
    String help = div.exec("--help").out();
    java.util.List<String> commands = new java.util.ArrayList<>();
    boolean inCommands = false;
    for (String line : help.lines().toList()) {
      if (line.startsWith("Commands:")) {
        inCommands = true;
      } else if (inCommands && line.matches("  [a-z_]+ .*|  [a-z_]+")) {
        commands.add(line.trim().split("\\s+")[0]);
      } else if (inCommands && line.isBlank()) {
        break;
      }
    }
    assertThat(commands).contains("get", "describe", "diff", "config", "completion");
    String readme = Files.readString(CliHarness.repoRoot().resolve("README.md"));
    String table =
        readme.substring(
            readme.indexOf("| command | what it does |"), readme.indexOf("Exit codes: `0`"));
    int at = 0;
    for (String command : commands) {
      int found = table.indexOf("div " + command, at);
      assertThat(found)
          .as("README's command table lists div " + command + " in help's order")
          .isPositive();
      at = found;
    }
  }
}
