package io.division.gateway;

import io.division.core.deploy.DeployNames;
import io.division.core.deploy.Executor;
import io.division.core.deploy.InstallRun;
import io.division.core.model.Json;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Compatibility with the original's Brigade v1 setup (Brigade was archived in 2022; this is not the
 * default). An install becomes the build Secret the v1 controller consumes, laid out as the
 * controller's own code writes it (pkg/storage/kube/build.go), and the worker pod it starts — named
 * and labelled like the Secret — is followed for its log and outcome.
 */
public final class BrigadeExecutor implements Executor {
  static final String SECRET_TYPE = "brigade.sh/build";

  private final KubernetesClient client;
  private final String namespace;
  private final String script;
  private final String brigadeProject;
  private final String logLevel;

  /**
   * @param brigadeProject the Brigade project name (e.g. {@code mumoshu/microservices}); null to
   *     use the install's project
   */
  public BrigadeExecutor(
      KubernetesClient client,
      String namespace,
      String script,
      String brigadeProject,
      String logLevel) {
    this.client = client;
    this.namespace = namespace;
    this.script = script == null ? "" : script;
    this.brigadeProject = brigadeProject;
    this.logLevel = logLevel == null ? "log" : logLevel;
  }

  @Override
  public String name() {
    return "brigade";
  }

  /**
   * Brigade v1's project id: {@code brigade-} and the first 54 hex digits of the name's SHA-256.
   */
  public static String projectId(String projectName) {
    return "brigade-" + DeployNames.sha256(projectName).substring(0, 54);
  }

  /** The build id: a lowercase ULID, reproducible for one attempt (see {@link Ulid}). */
  static String buildId(InstallRun run) {
    return Ulid.of(
        run.claimedAt(),
        HexFormat.of().parseHex(DeployNames.sha256(run.objectName() + "@" + run.claimedAt())));
  }

  Secret buildSecret(InstallRun run) {
    String project = brigadeProject != null ? brigadeProject : run.project();
    String id = buildId(run);
    String name = "brigade-worker-" + id;
    String pid = projectId(project);
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("heritage", "brigade");
    labels.put("component", "build");
    labels.put("project", pid);
    labels.put("build", id);
    Map<String, String> values = new LinkedHashMap<>();
    values.put("build_id", name); // the v1 code stores the worker name here, not the bare id
    values.put("build_name", name);
    values.put("commit_id", run.ref().matches("[0-9a-f]{7,40}") ? run.ref() : "");
    values.put("commit_ref", run.ref());
    values.put("event_provider", "division");
    values.put("event_type", "deploy");
    values.put("project_id", pid);
    values.put("payload", Json.write(run.environment()));
    values.put("script", script);
    values.put("log_level", logLevel);
    Map<String, String> data = new LinkedHashMap<>();
    // Written as data, not stringData: the controller reads Data, and only a real API server
    // would convert stringData.
    values.forEach(
        (k, v) ->
            data.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
    return new SecretBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .withLabels(labels)
        .endMetadata()
        .withType(SECRET_TYPE)
        .withData(data)
        .build();
  }

  @Override
  public Handle start(InstallRun run, Consumer<String> log) throws ExecutorException {
    Secret secret = buildSecret(run);
    try {
      client.secrets().inNamespace(namespace).resource(secret).create();
      log.accept("[gateway] created Brigade build " + secret.getMetadata().getName());
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409)
        throw new ExecutorException(
            "cannot create Brigade build secret: " + KubernetesErrors.describe(e), e);
      log.accept(
          "[gateway] Brigade build "
              + secret.getMetadata().getName()
              + " exists already: following it");
    }
    return new WorkerHandle(secret.getMetadata().getName(), log);
  }

  /**
   * Follows the build of this attempt if its Secret is there and carries this attempt's own payload
   * (install and attempt included), so a start time in the store cannot point the gateway at
   * another build.
   */
  @Override
  public Adoption adopt(InstallRun run, Consumer<String> log) {
    Secret expected = buildSecret(run);
    String name = expected.getMetadata().getName();
    Secret found = client.secrets().inNamespace(namespace).withName(name).get();
    if (found == null)
      return Adoption.unknown(
          "Brigade build " + name + " is not there (never created, or deleted)");
    String payload = found.getData() == null ? null : found.getData().get("payload");
    if (!expected.getData().get("payload").equals(payload))
      return Adoption.unknown("Brigade build " + name + " belongs to another attempt");
    log.accept("[gateway] re-adopted Brigade build " + name + " after a gateway restart");
    return Adoption.followed(new WorkerHandle(name, log));
  }

  private final class WorkerHandle implements Handle {
    private final String name;
    private final PodLogStream logs;
    private long nextPoll;

    WorkerHandle(String name, Consumer<String> log) {
      this.name = name;
      this.logs = new PodLogStream(client, namespace, this::pod, log);
    }

    private Pod pod() {
      return client.pods().inNamespace(namespace).withName(name).get();
    }

    @Override
    public String state() {
      return "secret/" + namespace + "/" + name;
    }

    @Override
    public Outcome poll() {
      if (System.nanoTime() < nextPoll) return null;
      nextPoll = System.nanoTime() + 1_000_000_000L;
      Pod pod = pod();
      String phase = pod == null || pod.getStatus() == null ? null : pod.getStatus().getPhase();
      if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
        logs.pump(true);
        logs.close();
        return new Outcome(
            "Succeeded".equals(phase),
            "brigade worker " + name + " " + phase.toLowerCase(java.util.Locale.ROOT));
      }
      logs.pump(false);
      return null;
    }

    @Override
    public void cancel() {
      client.pods().inNamespace(namespace).withName(name).delete();
    }
  }
}
