package io.division.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.division.core.model.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * charts/division, linted, rendered and install-validated by real Helm (helm-java bundles it; no
 * network). Every variant is parsed into Kubernetes objects and asserted on: the RBAC rules
 * exactly, the restricted Pod Security Standard, and the schema refusing what it must.
 */
class HelmChartTest {
  static final Path CHART = findChart();

  @TempDir Path tmp;

  static Path findChart() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("charts/division"))) dir = dir.getParent();
    if (dir == null) throw new IllegalStateException("charts/division not found");
    return dir.resolve("charts/division");
  }

  /** The rendered objects of one release, with values given as YAML. */
  record Rendered(List<JsonNode> objects) {
    JsonNode one(String kind) {
      List<JsonNode> found = all(kind);
      assertThat(found).as("objects of kind " + kind).hasSize(1);
      return found.get(0);
    }

    List<JsonNode> all(String kind) {
      return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
    }

    JsonNode pod() {
      return one("Deployment").path("spec").path("template");
    }

    JsonNode container() {
      return pod().path("spec").path("containers").get(0);
    }

    List<String> args() {
      List<String> args = new ArrayList<>();
      container().path("args").forEach(a -> args.add(a.asText()));
      return args;
    }

    /** A Role's rules as "group/resource: verb,verb" lines, in order. */
    List<String> rules(JsonNode role) {
      List<String> rules = new ArrayList<>();
      for (JsonNode rule : role.path("rules")) {
        List<String> groups = texts(rule.path("apiGroups"));
        List<String> verbs = texts(rule.path("verbs"));
        for (String resource : texts(rule.path("resources")))
          for (String group : groups)
            rules.add((group.isEmpty() ? "core" : group) + "/" + resource + ": " + verbs);
      }
      return rules;
    }
  }

  static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  Rendered render(String namespace, String valuesYaml) {
    Path values = tmp.resolve("values-" + System.nanoTime() + ".yaml");
    try {
      Files.writeString(values, valuesYaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String yaml =
        new Helm(CHART)
            .template()
            .withName("div")
            .withNamespace(namespace)
            .withValuesFile(values)
            .call();
    List<JsonNode> objects = new ArrayList<>();
    try (var docs = Json.yaml().readerFor(JsonNode.class).<JsonNode>readValues(yaml)) {
      while (docs.hasNext()) {
        JsonNode doc = docs.next();
        if (doc != null && doc.isObject() && doc.has("kind")) objects.add(doc);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Rendered(objects);
  }

  /**
   * The restricted Pod Security Standard (Kubernetes' pod-security-admission "restricted" profile,
   * latest), checked field by field on a pod template, plus a read-only root file system.
   */
  static void assertRestricted(JsonNode podTemplate) {
    JsonNode spec = podTemplate.path("spec");
    JsonNode podSc = spec.path("securityContext");
    assertThat(spec.path("hostNetwork").asBoolean(false)).isFalse();
    assertThat(spec.path("hostPID").asBoolean(false)).isFalse();
    assertThat(spec.path("hostIPC").asBoolean(false)).isFalse();
    Set<String> allowedVolumes =
        Set.of(
            "configMap",
            "csi",
            "downwardAPI",
            "emptyDir",
            "ephemeral",
            "persistentVolumeClaim",
            "projected",
            "secret");
    for (JsonNode volume : spec.path("volumes")) {
      List<String> types = new ArrayList<>();
      volume.fieldNames().forEachRemaining(f -> types.add(f));
      types.remove("name");
      assertThat(allowedVolumes).as("volume " + volume).containsAll(types);
    }
    if (podSc.has("runAsUser")) assertThat(podSc.path("runAsUser").asLong()).isNotZero();
    for (String list : List.of("initContainers", "containers")) {
      for (JsonNode c : spec.path(list)) {
        JsonNode sc = c.path("securityContext");
        String name = c.path("name").asText();
        assertThat(sc.path("privileged").asBoolean(false)).as(name + " privileged").isFalse();
        assertThat(sc.path("allowPrivilegeEscalation").isBoolean()).as(name).isTrue();
        assertThat(sc.path("allowPrivilegeEscalation").asBoolean())
            .as(name + " allowPrivilegeEscalation")
            .isFalse();
        assertThat(
                sc.path("runAsNonRoot").asBoolean(false)
                    || podSc.path("runAsNonRoot").asBoolean(false))
            .as(name + " runAsNonRoot")
            .isTrue();
        if (sc.has("runAsUser")) assertThat(sc.path("runAsUser").asLong()).isNotZero();
        String seccomp =
            sc.path("seccompProfile")
                .path("type")
                .asText(podSc.path("seccompProfile").path("type").asText(""));
        assertThat(seccomp).as(name + " seccompProfile").isIn("RuntimeDefault", "Localhost");
        assertThat(texts(sc.path("capabilities").path("drop"))).as(name).contains("ALL");
        assertThat(texts(sc.path("capabilities").path("add")))
            .as(name)
            .isSubsetOf("NET_BIND_SERVICE");
        for (JsonNode port : c.path("ports"))
          assertThat(port.has("hostPort")).as(name + " hostPort").isFalse();
        assertThat(sc.path("readOnlyRootFilesystem").asBoolean(false))
            .as(name + " readOnlyRootFilesystem")
            .isTrue();
      }
    }
  }

  static void assertNoWildcards(Rendered r) {
    for (String kind : List.of("Role", "ClusterRole"))
      for (JsonNode role : r.all(kind))
        for (JsonNode rule : role.path("rules"))
          for (String field : List.of("verbs", "resources", "apiGroups"))
            assertThat(texts(rule.path(field))).as(kind + " " + field).doesNotContain("*");
  }

  @Test
  void theChartPassesStrictLint() {
    LintResult result = new Helm(CHART).lint().strict().call();
    assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
  }

  @Test
  void theDefaultRenderRunsTheGatewayImageUnderTheRestrictedProfileWithExactRbac() {
    Rendered r = render("deploys", "cluster: prod-eu\n");
    assertThat(r.one("Deployment").path("spec").path("replicas").asInt()).isEqualTo(1);
    assertThat(r.one("Deployment").path("spec").path("strategy").path("type").asText())
        .isEqualTo("Recreate");
    assertThat(r.container().path("image").asText())
        .as("the chart's default image is what the Maven build tags (division-image)")
        .isEqualTo("ghcr.io/division/div:" + appVersion());
    assertThat(r.args())
        .containsExactly(
            "--cluster=prod-eu",
            "--executor=kubernetes",
            "--install-timeout=30m",
            "--heartbeat=5s",
            "--health-port=8080",
            "--health-address=0.0.0.0",
            "--job-template=/etc/division/job-template.yaml");
    assertThat(r.container().path("readinessProbe").path("httpGet").path("path").asText())
        .isEqualTo("/readyz");
    assertThat(r.container().path("livenessProbe").path("httpGet").path("path").asText())
        .isEqualTo("/healthz");
    assertRestricted(r.pod());
    assertThat(r.pod().path("spec").has("imagePullSecrets")).isFalse();

    JsonNode role = r.one("Role");
    assertThat(role.path("metadata").path("namespace").asText()).isEqualTo("deploys");
    assertThat(r.rules(role))
        .containsExactly(
            "batch/jobs: [get, create, delete]",
            "core/pods: [list]",
            "core/pods/log: [get]",
            "core/events: [get, list]");
    assertNoWildcards(r);
    assertThat(r.all("ClusterRole")).isEmpty();
    assertThat(r.all("ClusterRoleBinding")).isEmpty();
    JsonNode binding = r.one("RoleBinding");
    assertThat(binding.path("subjects").get(0).path("name").asText()).isEqualTo("div-gateway");
    assertThat(r.one("ServiceAccount").path("metadata").path("name").asText())
        .isEqualTo("div-gateway");

    JsonNode config = r.one("ConfigMap").path("data");
    assertThat(config.path("div.yaml").asText()).contains("source: \"dynamodb://\"");
    assertThat(config.path("job-template.yaml").asText())
        .contains("namespace: \"deploys\"")
        .contains("$(DIV_REF)")
        .doesNotContain("serviceAccountName");

    JsonNode service = r.one("Service");
    assertThat(service.path("spec").path("ports").get(0).path("name").asText())
        .isEqualTo("metrics");
    assertThat(service.path("spec").path("ports").get(0).path("targetPort").asText())
        .isEqualTo("health");
    assertThat(service.path("spec").path("selector"))
        .isEqualTo(r.one("Deployment").path("spec").path("selector").path("matchLabels"));
    assertThat(r.all("ServiceMonitor")).isEmpty();
  }

  @Test
  void theBrigadeExecutorMayCreateAndGetSecretsButNeverListOrWatchThem() {
    Rendered r =
        render(
            "ci",
            """
            executor: brigade
            brigade:
              namespace: brigade
              project: mumoshu/microservices
              script: |
                console.log("deploy")
            """);
    assertThat(r.args())
        .contains(
            "--executor=brigade",
            "--brigade-namespace=brigade",
            "--brigade-project=mumoshu/microservices",
            "--brigade-script=/etc/division/brigade.js")
        .doesNotContain("--job-template=/etc/division/job-template.yaml");
    JsonNode role = r.one("Role");
    assertThat(role.path("metadata").path("namespace").asText()).isEqualTo("brigade");
    assertThat(r.rules(role))
        .containsExactly(
            "core/secrets: [get, create]",
            "core/pods: [get, delete]",
            "core/pods/log: [get]",
            "core/events: [get, list]");
    assertNoWildcards(r);
    assertThat(r.one("RoleBinding").path("subjects").get(0).path("namespace").asText())
        .isEqualTo("ci");
    assertThat(r.one("ConfigMap").path("data").path("brigade.js").asText()).contains("console.log");
    assertRestricted(r.pod());
  }

  @Test
  void replicasPullSecretsEnvironmentAnnotationsAndLabelsReachThePod() {
    Rendered r =
        render(
            "deploys",
            """
            cluster: prod-us
            project: shop
            replicas: 3
            updateStrategy: RollingUpdate
            image:
              repository: registry.example.com/platform/division
              tag: 1.2.3
              pullPolicy: Always
            imagePullSecrets: [{name: regcred}]
            extraEnv:
              - name: AWS_REGION
                value: eu-west-1
              - name: JAVA_TOOL_OPTIONS
                value: -XX:MaxRAMPercentage=60
            envFrom:
              - secretRef: {name: division-aws}
            podAnnotations:
              example.com/team: platform
            podLabels:
              team: platform
            priorityClassName: system-cluster-critical
            """);
    JsonNode deployment = r.one("Deployment");
    assertThat(deployment.path("spec").path("replicas").asInt()).isEqualTo(3);
    assertThat(deployment.path("spec").path("strategy").path("type").asText())
        .isEqualTo("RollingUpdate");
    assertThat(r.container().path("image").asText())
        .isEqualTo("registry.example.com/platform/division:1.2.3");
    assertThat(r.container().path("imagePullPolicy").asText()).isEqualTo("Always");
    assertThat(r.pod().path("spec").path("imagePullSecrets").get(0).path("name").asText())
        .isEqualTo("regcred");
    assertThat(r.pod().path("spec").path("priorityClassName").asText())
        .isEqualTo("system-cluster-critical");
    assertThat(r.args()).contains("--cluster=prod-us", "--project=shop");
    List<String> env = new ArrayList<>();
    r.container().path("env").forEach(e -> env.add(e.path("name").asText()));
    assertThat(env)
        .containsExactly("DIV_CONFIG", "DIVISION_HOME", "AWS_REGION", "JAVA_TOOL_OPTIONS");
    assertThat(r.container().path("envFrom").get(0).path("secretRef").path("name").asText())
        .isEqualTo("division-aws");
    JsonNode meta = r.pod().path("metadata");
    assertThat(meta.path("annotations").path("example.com/team").asText()).isEqualTo("platform");
    assertThat(meta.path("annotations").has("checksum/config")).isTrue();
    assertThat(meta.path("labels").path("team").asText()).isEqualTo("platform");
    assertThat(meta.path("labels").path("app.kubernetes.io/instance").asText()).isEqualTo("div");
    assertRestricted(r.pod());
  }

  @Test
  void theServiceMonitorIsOptionalAndScrapesTheMetricsPort() {
    Rendered r =
        render(
            "deploys",
            """
            serviceMonitor:
              enabled: true
              interval: 15s
              labels: {release: prometheus}
            """);
    JsonNode monitor = r.one("ServiceMonitor");
    assertThat(monitor.path("apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1");
    assertThat(monitor.path("metadata").path("labels").path("release").asText())
        .isEqualTo("prometheus");
    JsonNode endpoint = monitor.path("spec").path("endpoints").get(0);
    assertThat(endpoint.path("port").asText()).isEqualTo("metrics");
    assertThat(endpoint.path("path").asText()).isEqualTo("/metrics");
    assertThat(endpoint.path("interval").asText()).isEqualTo("15s");
    assertThat(monitor.path("spec").path("selector").path("matchLabels"))
        .isEqualTo(r.one("Service").path("spec").path("selector"));
  }

  @Test
  void theInstallJobsServiceAccountIsCreatedInTheJobNamespaceWithNoRightsOfItsOwn() {
    Rendered r =
        render(
            "division",
            """
            jobTemplate:
              namespace: apps
            installServiceAccount:
              create: true
              annotations:
                eks.amazonaws.com/role-arn: arn:aws:iam::123456789012:role/deployer
            """);
    List<JsonNode> accounts = r.all("ServiceAccount");
    assertThat(accounts).hasSize(2);
    JsonNode install =
        accounts.stream()
            .filter(a -> a.path("metadata").path("name").asText().equals("div-install"))
            .findFirst()
            .orElseThrow();
    assertThat(install.path("metadata").path("namespace").asText()).isEqualTo("apps");
    assertThat(
            install
                .path("metadata")
                .path("annotations")
                .path("eks.amazonaws.com/role-arn")
                .asText())
        .endsWith("role/deployer");
    assertThat(r.one("ConfigMap").path("data").path("job-template.yaml").asText())
        .contains("serviceAccountName: \"div-install\"")
        .contains("namespace: \"apps\"");
    assertThat(r.one("Role").path("metadata").path("namespace").asText()).isEqualTo("apps");
    for (JsonNode binding : r.all("RoleBinding"))
      for (JsonNode subject : binding.path("subjects"))
        assertThat(subject.path("name").asText()).isNotEqualTo("div-install");

    Rendered named = render("division", "jobTemplate:\n  serviceAccountName: deployer\n");
    assertThat(named.all("ServiceAccount")).hasSize(1);
    assertThat(named.one("ConfigMap").path("data").path("job-template.yaml").asText())
        .contains("serviceAccountName: \"deployer\"");
  }

  @Test
  void rbacAndTheGatewaysServiceAccountCanBeLeftToTheAdmin() {
    Rendered r =
        render(
            "deploys",
            """
            rbac: {enabled: false}
            serviceAccount: {create: false, name: division-gateway}
            """);
    assertThat(r.all("Role")).isEmpty();
    assertThat(r.all("RoleBinding")).isEmpty();
    assertThat(r.all("ServiceAccount")).isEmpty();
    assertThat(r.pod().path("spec").path("serviceAccountName").asText())
        .isEqualTo("division-gateway");
  }

  @Test
  void theSchemaRefusesMisspelledKeysAndWrongTypesInTemplateAndInstall() throws IOException {
    for (String bad :
        List.of(
            "replica: 2\n", // misspelled replicas
            "replicas: two\n",
            "image: {repository: x, tga: latest}\n",
            "executor: docker\n",
            "heartbeat: 5\n",
            "extraEnv: [{name: A, vaule: b}]\n",
            "podAnnotations: {a: 1}\n")) {
      Path values = tmp.resolve("bad-" + System.nanoTime() + ".yaml");
      Files.writeString(values, bad);
      assertThatThrownBy(
              () -> new Helm(CHART).template().withName("div").withValuesFile(values).call())
          .as(bad)
          .hasMessageContaining("values don't meet the specifications of the schema");
      assertThatThrownBy(
              () ->
                  new Helm(CHART)
                      .install()
                      .withName("div")
                      .withNamespace("deploys")
                      .clientOnly()
                      .dryRun()
                      .withValuesFile(values)
                      .call())
          .as(bad)
          .hasMessageContaining("values don't meet the specifications of the schema");
    }
    Path good = tmp.resolve("good.yaml");
    Files.writeString(good, "replicas: 2\ncluster: prod-eu\n");
    assertThat(
            new Helm(CHART)
                .install()
                .withName("div")
                .withNamespace("deploys")
                .clientOnly()
                .dryRun()
                .withValuesFile(good)
                .call()
                .getStatus())
        .isNotBlank();
  }

  @Test
  void lintRefusesAChartWhoseDefaultsDoNotMeetTheSchema() throws IOException {
    Path copy = tmp.resolve("division");
    try (Stream<Path> files = Files.walk(CHART)) {
      for (Path f : files.toList()) {
        Path target = copy.resolve(CHART.relativize(f).toString());
        if (Files.isDirectory(f)) Files.createDirectories(target);
        else Files.copy(f, target);
      }
    }
    Path values = copy.resolve("values.yaml");
    Files.writeString(values, Files.readString(values) + "\nimagePullSecret: regcred\n");
    LintResult result = new Helm(copy).lint().strict().call();
    assertThat(result.isFailed()).isTrue();
    assertThat(String.join("\n", result.getMessages())).contains("imagePullSecret");
  }

  /** The chart's appVersion, which must be the Maven project version the image is tagged with. */
  static String appVersion() {
    try {
      ObjectNode chart = (ObjectNode) Json.yaml().readTree(CHART.resolve("Chart.yaml").toFile());
      String version = chart.path("appVersion").asText();
      String pom = Files.readString(CHART.getParent().getParent().resolve("pom.xml"));
      var m =
          java.util.regex.Pattern.compile(
                  "<artifactId>division-parent</artifactId>\\s*<version>([^<]+)</version>")
              .matcher(pom);
      assertThat(m.find()).isTrue();
      assertThat(version)
          .as("the chart's appVersion is the project version (the image tag)")
          .isEqualTo(m.group(1));
      return version;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
