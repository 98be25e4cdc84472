package io.division.core.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.division.core.iam.IamPolicyGenerator.Access;
import io.division.core.iam.IamPolicyGenerator.Request;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IamPolicyGeneratorTest {
  private static final String ARN = "arn:aws:dynamodb:eu-west-1:123456789012:table/";

  private static Map<String, JsonNode> statements(Request request) {
    JsonNode policy = IamPolicyGenerator.generate(request);
    assertThat(policy.get("Version").asText()).isEqualTo("2012-10-17");
    Map<String, JsonNode> bySid = new LinkedHashMap<>();
    for (JsonNode s : policy.get("Statement")) {
      assertThat(s.get("Effect").asText()).isEqualTo("Allow");
      bySid.put(s.get("Sid").asText(), s);
    }
    return bySid;
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static Request approval(Access access) {
    return Request.of(access, List.of("Approval"))
        .withRegion("eu-west-1")
        .withAccount("123456789012");
  }

  @Test
  void readonlyAllowsOnlyReadsOnTheKindsTablesAndTheCrdTable() {
    Map<String, JsonNode> s = statements(approval(Access.READONLY));
    assertThat(s.keySet())
        .containsExactly(
            "ApprovalResources",
            "ApprovalChanges",
            "ApprovalLogs",
            "CustomResourceDefinitionResources",
            "CustomResourceDefinitionChanges");
    assertThat(texts(s.get("ApprovalResources").get("Action")))
        .containsExactly("dynamodb:GetItem", "dynamodb:Scan");
    assertThat(texts(s.get("ApprovalResources").get("Resource")))
        .containsExactly(ARN + "div.Approval.ns.default");
    assertThat(texts(s.get("ApprovalChanges").get("Action")))
        .containsExactly("dynamodb:GetItem", "dynamodb:Query");
    assertThat(texts(s.get("ApprovalChanges").get("Resource")))
        .containsExactly(ARN + "div.Approval.changes");
    assertThat(texts(s.get("ApprovalLogs").get("Action")))
        .containsExactly("dynamodb:GetItem", "dynamodb:Query");
    assertThat(texts(s.get("ApprovalLogs").get("Resource")))
        .containsExactly(ARN + "div.Approval.logs");
    assertThat(texts(s.get("CustomResourceDefinitionResources").get("Action")))
        .containsExactly("dynamodb:GetItem", "dynamodb:Scan");
    assertThat(texts(s.get("CustomResourceDefinitionResources").get("Resource")))
        .containsExactly(ARN + "div.CustomResourceDefinition.cluster");
    assertThat(texts(s.get("CustomResourceDefinitionChanges").get("Action")))
        .containsExactly("dynamodb:GetItem");
  }

  @Test
  void writeonlyAllowsWritesAndTheReadsAWriteNeedsButNoScanOrQueryOfResources() {
    Map<String, JsonNode> s = statements(approval(Access.WRITEONLY));
    assertThat(texts(s.get("ApprovalResources").get("Action")))
        .containsExactly(
            "dynamodb:CreateTable",
            "dynamodb:DeleteItem",
            "dynamodb:DescribeTable",
            "dynamodb:GetItem",
            "dynamodb:PutItem");
    assertThat(texts(s.get("ApprovalChanges").get("Action")))
        .containsExactly(
            "dynamodb:CreateTable",
            "dynamodb:DescribeTable",
            "dynamodb:GetItem",
            "dynamodb:PutItem",
            "dynamodb:UpdateItem",
            "dynamodb:UpdateTimeToLive");
    assertThat(texts(s.get("ApprovalLogs").get("Action")))
        .containsExactly(
            "dynamodb:BatchWriteItem",
            "dynamodb:CreateTable",
            "dynamodb:DescribeTable",
            "dynamodb:UpdateItem",
            "dynamodb:UpdateTimeToLive");
  }

  @Test
  void readwriteIsExactlyTheUnionOfReadonlyAndWriteonly() {
    Map<String, JsonNode> rw = statements(approval(Access.READWRITE));
    Map<String, JsonNode> ro = statements(approval(Access.READONLY));
    Map<String, JsonNode> wo = statements(approval(Access.WRITEONLY));
    for (String sid : rw.keySet()) {
      Set<String> union = new java.util.TreeSet<>();
      if (ro.containsKey(sid)) union.addAll(texts(ro.get(sid).get("Action")));
      if (wo.containsKey(sid)) union.addAll(texts(wo.get(sid).get("Action")));
      assertThat(texts(rw.get(sid).get("Action"))).as(sid).containsExactlyElementsOf(union);
    }
  }

  @Test
  void noStatementGrantsAWildcardActionOrATableOutsideTheNamedKinds() {
    for (Access access : Access.values()) {
      JsonNode policy =
          IamPolicyGenerator.generate(
              Request.of(access, List.of("Approval", "Install"))
                  .withNamespaces(List.of("team-a", "team-b")));
      for (JsonNode s : policy.get("Statement")) {
        texts(s.get("Action"))
            .forEach(a -> assertThat(a).startsWith("dynamodb:").doesNotContain("*"));
        for (String resource : texts(s.get("Resource"))) {
          String table = resource.substring(resource.indexOf(":table/") + 7);
          assertThat(table).doesNotContain("*").doesNotContain("/stream").doesNotContain("/index");
          assertThat(table)
              .matches(
                  "div\\.(Approval|Install|CustomResourceDefinition)\\.(ns\\.team-[ab]|changes|logs|cluster)");
        }
      }
    }
  }

  @Test
  void everyNamespaceIsOneWildcardLimitedToTheKindsResourceTables() {
    Map<String, JsonNode> s =
        statements(approval(Access.READONLY).withNamespaces(List.of("default", "*")));
    assertThat(texts(s.get("ApprovalResources").get("Resource")))
        .containsExactly(ARN + "div.Approval.ns.*");
  }

  @Test
  void clusterScopedKindsUseTheirClusterTableAndThePrefixIsApplied() {
    Map<String, JsonNode> s =
        statements(
            Request.of(Access.READWRITE, List.of("Cluster"))
                .withClusterScopedKinds(Set.of("Cluster"))
                .withTablePrefix("team1"));
    assertThat(texts(s.get("ClusterResources").get("Resource")))
        .containsExactly("arn:aws:dynamodb:*:*:table/team1.Cluster.cluster");
    assertThat(texts(s.get("ClusterChanges").get("Resource")))
        .containsExactly("arn:aws:dynamodb:*:*:table/team1.Cluster.changes");
  }

  @Test
  void badInputIsRejectedWithAMessageThatSaysWhatToUse() {
    assertThatThrownBy(() -> Access.parse("admin"))
        .hasMessageContaining("readonly, writeonly or readwrite");
    assertThatThrownBy(() -> approval(Access.READONLY).withAccount("12"))
        .hasMessageContaining("12 digits");
    assertThatThrownBy(() -> approval(Access.READONLY).withRegion("mars"))
        .hasMessageContaining("invalid region");
    assertThatThrownBy(() -> Request.of(Access.READONLY, List.of("not-a-kind")))
        .hasMessageContaining("invalid kind");
    assertThatThrownBy(() -> Request.of(Access.READONLY, List.of()))
        .hasMessageContaining("at least one kind");
  }

  private static Map<String, JsonNode> preset(IamPolicyGenerator.Preset preset) {
    JsonNode policy =
        IamPolicyGenerator.generate(
            preset,
            Request.of(Access.READONLY, List.of("Deployment"))
                .withNamespaces(List.of("*"))
                .withRegion("eu-west-1")
                .withAccount("123456789012"));
    Map<String, JsonNode> bySid = new LinkedHashMap<>();
    for (JsonNode s : policy.get("Statement")) bySid.put(s.get("Sid").asText(), s);
    return bySid;
  }

  @Test
  void theGatewayPresetReadsDeploymentsAndWritesReleasesInstallsAndItsCluster() {
    Map<String, JsonNode> s = preset(IamPolicyGenerator.Preset.GATEWAY);
    assertThat(s.keySet())
        .containsExactlyInAnyOrder(
            "DeploymentResources",
            "DeploymentChanges",
            "DeploymentLogs",
            "ApplicationResources",
            "ApplicationChanges",
            "ApplicationLogs",
            "ReleaseResources",
            "ReleaseChanges",
            "ReleaseLogs",
            "InstallResources",
            "InstallChanges",
            "InstallLogs",
            "ClusterResources",
            "ClusterChanges",
            "ClusterLogs",
            "CustomResourceDefinitionResources",
            "CustomResourceDefinitionChanges");
    assertThat(texts(s.get("DeploymentResources").get("Action")))
        .containsExactly("dynamodb:GetItem", "dynamodb:Scan");
    assertThat(texts(s.get("DeploymentResources").get("Resource")))
        .containsExactly(ARN + "div.Deployment.ns.*");
    assertThat(texts(s.get("InstallResources").get("Action")))
        .contains("dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:Scan");
    assertThat(texts(s.get("InstallLogs").get("Action")))
        .contains("dynamodb:BatchWriteItem", "dynamodb:Query");
    // Cluster is cluster-scoped: one table, no namespace.
    assertThat(texts(s.get("ClusterResources").get("Resource")))
        .containsExactly(ARN + "div.Cluster.cluster");
    assertThat(texts(s.get("ClusterResources").get("Action"))).contains("dynamodb:PutItem");
    assertThat(s).doesNotContainKeys("ApprovalResources", "ProjectResources");
    for (String kind : List.of("Deployment", "Application"))
      for (String role : List.of("Resources", "Changes", "Logs"))
        assertThat(texts(s.get(kind + role).get("Action")))
            .as(kind + role)
            .noneMatch(a -> a.matches("dynamodb:(Put|Delete|Update|BatchWrite|Create).*"));
  }

  @Test
  void theCiPresetWritesDeploymentsAndApprovalsAndOnlyReadsTheRest() {
    Map<String, JsonNode> s = preset(IamPolicyGenerator.Preset.CI);
    assertThat(texts(s.get("DeploymentResources").get("Action"))).contains("dynamodb:PutItem");
    assertThat(texts(s.get("ApprovalResources").get("Action"))).contains("dynamodb:PutItem");
    for (String kind : List.of("Project", "Application", "Release", "Install", "Cluster"))
      for (String role : List.of("Resources", "Changes", "Logs"))
        assertThat(texts(s.get(kind + role).get("Action")))
            .as(kind + role)
            .isNotEmpty()
            .noneMatch(a -> a.matches("dynamodb:(Put|Delete|Update|BatchWrite|Create).*"));
    assertThat(texts(s.get("ProjectResources").get("Resource")))
        .containsExactly(ARN + "div.Project.cluster");
    assertThat(IamPolicyGenerator.Preset.find("ci")).contains(IamPolicyGenerator.Preset.CI);
    assertThat(IamPolicyGenerator.Preset.find("readonly")).isEmpty();
  }
}
