package io.division.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** charts/division, linted and rendered by real Helm (helm-java bundles it; no network). */
class HelmChartTest {
  static final Path CHART = findChart();

  static Path findChart() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("charts/division"))) dir = dir.getParent();
    if (dir == null) throw new IllegalStateException("charts/division not found");
    return dir.resolve("charts/division");
  }

  @Test
  void theChartPassesStrictLint() {
    LintResult result = new Helm(CHART).lint().strict().call();
    assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
  }

  @Test
  void theDefaultRenderRunsTheGatewayWithTheKubernetesExecutorAndLeastRbac() {
    String yaml =
        new Helm(CHART)
            .template()
            .withName("div")
            .withNamespace("deploys")
            .set("cluster", "prod-eu")
            .call();
    assertThat(yaml)
        .contains("kind: Deployment")
        .contains("- --cluster=prod-eu")
        .contains("- --executor=kubernetes")
        .contains("- --job-template=/etc/division/job-template.yaml")
        .contains("- --health-port=8080")
        .contains("path: /healthz")
        .contains("source: \"dynamodb://\"");
    assertThat(yaml)
        .contains("kind: Role")
        .contains("resources: [\"jobs\"]")
        .contains("resources: [\"pods/log\"]")
        .doesNotContain("ClusterRole")
        .doesNotContain("resources: [\"secrets\"]");
    assertThat(yaml).contains("namespace: \"deploys\"").contains("$(DIV_REF)");
  }

  @Test
  void theBrigadeExecutorGetsSecretsRightsInsteadOfJobs() {
    String yaml =
        new Helm(CHART)
            .template()
            .withName("div")
            .withNamespace("ci")
            .set("executor", "brigade")
            .set("brigade.namespace", "brigade")
            .set("brigade.project", "mumoshu/microservices")
            .call();
    assertThat(yaml)
        .contains("- --executor=brigade")
        .contains("- --brigade-namespace=brigade")
        .contains("- --brigade-project=mumoshu/microservices")
        .contains("resources: [\"secrets\"]")
        .doesNotContain("resources: [\"jobs\"]");
  }

  @Test
  void rbacCanBeTurnedOffAndABadExecutorIsRefused() {
    String yaml = new Helm(CHART).template().withName("div").set("rbac.enabled", "false").call();
    assertThat(yaml).doesNotContain("kind: Role");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new Helm(CHART).template().withName("div").set("executor", "docker").call())
        .hasMessageContaining("executor must be kubernetes or brigade");
  }
}
