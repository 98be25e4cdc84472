package io.division.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.division.core.deploy.Executor;
import io.division.core.deploy.InstallRun;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Kubernetes executors against fabric8's mock API server in CRUD mode. */
@EnableKubernetesMockClient(crud = true)
class KubernetesExecutorsTest {
  static KubernetesClient client;
  static KubernetesMockServer server;

  final List<String> log = new CopyOnWriteArrayList<>();
  final InstallRun run =
      new InstallRun(
          "myapp1-c1-v1",
          "myapp1-c1-v1-a1",
          "mumoshu-microservices",
          "myapp1",
          "v1",
          "c1",
          "default",
          1,
          Instant.parse("2026-11-24T10:00:00Z"));

  @BeforeEach
  void clean() {
    client.batch().v1().jobs().inNamespace("deploys").delete();
    client.pods().inNamespace("deploys").delete();
    client.secrets().inNamespace("brigade").delete();
  }

  private static Executor.Outcome awaitOutcome(Executor.Handle handle) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      Executor.Outcome o = handle.poll();
      if (o != null) return o;
      Thread.sleep(50); // the gateway's own poll interval, not a wait for a condition
    }
    throw new AssertionError("no outcome within 20s");
  }

  private void podWithLog(
      String namespace, String name, Map<String, String> labels, String phase, String logText) {
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(namespace)
            .withLabels(labels)
            .endMetadata()
            .withNewStatus()
            .withPhase(phase)
            .endStatus()
            .build();
    client.pods().inNamespace(namespace).resource(pod).createOr(p -> p.update());
    // The executors follow the log as a stream (follow=true): the mock answers the whole log
    // and ends the stream, as the API server does for a pod that has ended.
    server
        .expect()
        .get()
        .withPath(
            "/api/v1/namespaces/" + namespace + "/pods/" + name + "/log?pretty=false&follow=true")
        .andReturn(200, logText)
        .always();
  }

  @Test
  void aJobIsCreatedFromTheAdminTemplateWithStoreValuesOnlyAsEnvironment() throws Exception {
    JobTemplate template =
        new JobTemplate(
            "deploys",
            "helmfile:1",
            List.of("helmfile"),
            List.of("--selector", "name=$(DIV_APP)", "--set", "ref=$(DIV_REF)", "apply"),
            Map.of("HELMFILE_ENV", "prod"),
            "deployer",
            Map.of("limits", Map.of("cpu", "500m")),
            0,
            600);
    new KubernetesJobExecutor(client, template).start(run, log::add);

    Job job = client.batch().v1().jobs().inNamespace("deploys").withName("myapp1-c1-v1-a1").get();
    assertThat(job).isNotNull();
    var pod = job.getSpec().getTemplate().getSpec();
    var container = pod.getContainers().get(0);
    assertThat(container.getImage()).isEqualTo("helmfile:1");
    assertThat(container.getCommand()).containsExactly("helmfile");
    assertThat(container.getArgs())
        .containsExactly("--selector", "name=$(DIV_APP)", "--set", "ref=$(DIV_REF)", "apply");
    Map<String, String> env =
        container.getEnv().stream().collect(Collectors.toMap(e -> e.getName(), e -> e.getValue()));
    assertThat(env)
        .containsEntry("DIV_REF", "v1")
        .containsEntry("DIV_APP", "myapp1")
        .containsEntry("DIV_CLUSTER", "c1")
        .containsEntry("DIV_INSTALL", "myapp1-c1-v1")
        .containsEntry("HELMFILE_ENV", "prod");
    assertThat(pod.getServiceAccountName()).isEqualTo("deployer");
    assertThat(pod.getRestartPolicy()).isEqualTo("Never");
    assertThat(container.getResources().getLimits().get("cpu").toString()).isEqualTo("500m");
    assertThat(job.getSpec().getBackoffLimit()).isZero();
    assertThat(job.getMetadata().getLabels()).containsEntry("division.io/install", "myapp1-c1-v1");
  }

  @Test
  void theExampleTemplateLoadsAndCannotShadowTheInstallsValues() throws Exception {
    java.nio.file.Path root = HelmChartTest.findChart().getParent().getParent();
    JobTemplate template = JobTemplate.load(root.resolve("examples/gateway/job-template.yaml"));
    assertThat(template.namespace()).isEqualTo("deploys");
    assertThat(template.serviceAccountName()).isEqualTo("deployer");
    JobTemplate shadowing =
        new JobTemplate(
            "deploys",
            "img",
            null,
            null,
            Map.of("DIV_REF", "main", "OTHER", "x"),
            null,
            null,
            0,
            60);
    var env =
        new KubernetesJobExecutor(client, shadowing)
            .job(run)
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0)
            .getEnv();
    assertThat(
            env.stream().filter(e -> e.getName().equals("DIV_REF")).map(e -> e.getValue()).toList())
        .containsExactly("v1");
    assertThat(env.stream().filter(e -> e.getName().equals("OTHER")).count()).isEqualTo(1);
  }

  @Test
  void theJobsStatusDecidesThePhaseAndThePodLogIsCopied() throws Exception {
    KubernetesJobExecutor executor =
        new KubernetesJobExecutor(
            client, new JobTemplate("deploys", "img", null, null, null, null, null, 0, 60));
    Executor.Handle handle = executor.start(run, log::add);
    podWithLog(
        "deploys",
        "myapp1-c1-v1-a1-xyz",
        Map.of(KubernetesJobExecutor.OBJECT_LABEL, "myapp1-c1-v1-a1"),
        "Running",
        "step 1\nstep 2\n");
    assertThat(handle.poll()).isNull();
    client
        .batch()
        .v1()
        .jobs()
        .inNamespace("deploys")
        .withName("myapp1-c1-v1-a1")
        .editStatus(
            j -> {
              j.setStatus(new JobStatusBuilder().withSucceeded(1).build());
              return j;
            });
    Executor.Outcome outcome = awaitOutcome(handle);
    assertThat(outcome.succeeded()).isTrue();
    assertThat(log).containsSubsequence("step 1", "step 2");
  }

  @Test
  void aFailedJobFailsTheAttemptWithItsReason() throws Exception {
    KubernetesJobExecutor executor =
        new KubernetesJobExecutor(
            client, new JobTemplate("deploys", "img", null, null, null, null, null, 0, 60));
    Executor.Handle handle = executor.start(run, log::add);
    client
        .batch()
        .v1()
        .jobs()
        .inNamespace("deploys")
        .withName("myapp1-c1-v1-a1")
        .editStatus(
            j -> {
              j.setStatus(
                  new JobStatusBuilder()
                      .withFailed(1)
                      .addNewCondition()
                      .withType("Failed")
                      .withStatus("True")
                      .withReason("BackoffLimitExceeded")
                      .withMessage("Job has reached the specified backoff limit")
                      .endCondition()
                      .build());
              return j;
            });
    Executor.Outcome outcome = awaitOutcome(handle);
    assertThat(outcome.succeeded()).isFalse();
    assertThat(outcome.message())
        .isEqualTo(
            "job/myapp1-c1-v1-a1 failed: BackoffLimitExceeded: Job has reached the specified backoff limit");
  }

  @Test
  void aRestartedGatewayReAdoptsTheJobAndCreatesNoSecondOne() throws Exception {
    KubernetesJobExecutor first =
        new KubernetesJobExecutor(
            client, new JobTemplate("deploys", "img", null, null, null, null, null, 0, 60));
    first.start(run, log::add);
    KubernetesJobExecutor second =
        new KubernetesJobExecutor(
            client, new JobTemplate("deploys", "img", null, null, null, null, null, 0, 60));
    assertThat(second.adopt(run, log::add).known()).isTrue();
    second.start(run, log::add); // even a second start only follows the existing Job
    assertThat(client.batch().v1().jobs().inNamespace("deploys").list().getItems()).hasSize(1);
    InstallRun other =
        new InstallRun("x-c1-v2", "x-c1-v2-a1", null, "x", "v2", "c1", "default", 1, Instant.now());
    assertThat(second.adopt(other, log::add).known()).isFalse();
  }

  @Test
  void aBrigadeBuildIsTheSecretTheV1ControllerReads() throws Exception {
    BrigadeExecutor executor =
        new BrigadeExecutor(
            client, "brigade", "console.log('deploy')", "mumoshu/microservices", "log");
    executor.start(run, log::add);
    List<Secret> secrets =
        client
            .secrets()
            .inNamespace("brigade")
            .withLabel("heritage", "brigade")
            .withLabel("component", "build")
            .list()
            .getItems();
    assertThat(secrets).hasSize(1);
    Secret s = secrets.get(0);
    String id = s.getMetadata().getLabels().get("build");
    assertThat(id).matches("[0-9a-hjkmnp-tv-z]{26}");
    assertThat(s.getMetadata().getName()).isEqualTo("brigade-worker-" + id);
    assertThat(s.getType()).isEqualTo("brigade.sh/build");
    String projectId = BrigadeExecutor.projectId("mumoshu/microservices");
    assertThat(projectId).startsWith("brigade-").hasSize(8 + 54);
    assertThat(s.getMetadata().getLabels()).containsEntry("project", projectId);
    Map<String, String> data =
        s.getData().entrySet().stream()
            .collect(
                Collectors.toMap(
                    Map.Entry::getKey,
                    e ->
                        new String(
                            Base64.getDecoder().decode(e.getValue()), StandardCharsets.UTF_8)));
    assertThat(data)
        .containsOnlyKeys(
            "build_id",
            "build_name",
            "commit_id",
            "commit_ref",
            "event_provider",
            "event_type",
            "project_id",
            "payload",
            "script",
            "log_level");
    assertThat(data)
        .containsEntry("build_name", "brigade-worker-" + id)
        .containsEntry("commit_ref", "v1")
        .containsEntry("project_id", projectId)
        .containsEntry("script", "console.log('deploy')")
        .containsEntry("event_type", "deploy");
    assertThat(data.get("payload")).contains("\"DIV_REF\":\"v1\"");
  }

  @Test
  void theBrigadeWorkerPodsPhaseAndLogAreFollowedAndTheBuildIdIsStableAcrossRestarts()
      throws Exception {
    BrigadeExecutor executor = new BrigadeExecutor(client, "brigade", "", null, "log");
    Executor.Handle handle = executor.start(run, log::add);
    String name = "brigade-worker-" + BrigadeExecutor.buildId(run);
    assertThat(executor.adopt(run, log::add).known()).isTrue();
    podWithLog(
        "brigade",
        name,
        Map.of("heritage", "brigade", "component", "build"),
        "Failed",
        "npm ERR! boom\n");
    Executor.Outcome outcome = awaitOutcome(handle);
    assertThat(outcome.succeeded()).isFalse();
    assertThat(outcome.message()).isEqualTo("brigade worker " + name + " failed");
    assertThat(log).contains("npm ERR! boom");
    assertThat(client.secrets().inNamespace("brigade").list().getItems()).hasSize(1);
  }

  @Test
  void projectIdsMatchBrigadesOwnForTheSameName() {
    // The id Brigade v1 itself shows for its example project deis/empty-testbed.
    assertThat(BrigadeExecutor.projectId("deis/empty-testbed"))
        .isEqualTo("brigade-830c16d4aaf6f5490937ad719afd8490a5bcbef064d397411043ac");
  }
}
