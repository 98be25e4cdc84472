package io.division.gateway;

import io.division.core.deploy.Executor;
import io.division.core.deploy.InstallRun;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs each install attempt as a {@code batch/v1} Job built from the admin's {@link JobTemplate}.
 * The Job is named after the attempt, so a restarted gateway finds and follows it instead of
 * starting a second one; the Job's outcome decides the phase and its pod's log is copied into the
 * install's log.
 */
public final class KubernetesJobExecutor implements Executor {
  public static final String OBJECT_LABEL = "division.io/object";

  private final KubernetesClient client;
  private final JobTemplate template;

  public KubernetesJobExecutor(KubernetesClient client, JobTemplate template) {
    this.client = client;
    this.template = template;
  }

  @Override
  public String name() {
    return "kubernetes";
  }

  @Override
  public Handle start(InstallRun run, Consumer<String> log) throws ExecutorException {
    try {
      client.batch().v1().jobs().inNamespace(template.namespace()).resource(job(run)).create();
      log.accept(
          "[gateway] created job/" + run.objectName() + " in namespace " + template.namespace());
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409)
        throw new ExecutorException(
            "cannot create job/" + run.objectName() + ": " + KubernetesErrors.describe(e), e);
      log.accept("[gateway] job/" + run.objectName() + " exists already: following it");
    }
    return new JobHandle(run.objectName(), log);
  }

  /**
   * Follows the Job named after the attempt, if it is there and labelled as this install's: a Job
   * is found by the attempt it belongs to, never by a name the store gives.
   */
  @Override
  public Adoption adopt(InstallRun run, Consumer<String> log) throws ExecutorException {
    try {
      Job existing =
          client
              .batch()
              .v1()
              .jobs()
              .inNamespace(template.namespace())
              .withName(run.objectName())
              .get();
      if (existing == null)
        return Adoption.unknown(
            "job/" + run.objectName() + " is not there (never created, or deleted since)");
      Map<String, String> labels =
          existing.getMetadata().getLabels() == null
              ? Map.of()
              : existing.getMetadata().getLabels();
      if (!run.install().equals(labels.get("division.io/install")))
        return Adoption.unknown(
            "job/" + run.objectName() + " is not labelled as install " + run.install());
      log.accept("[gateway] re-adopted job/" + run.objectName() + " after a gateway restart");
      return Adoption.followed(new JobHandle(run.objectName(), log));
    } catch (KubernetesClientException e) {
      throw new ExecutorException(
          "cannot read job/" + run.objectName() + ": " + KubernetesErrors.describe(e), e);
    }
  }

  Job job(InstallRun run) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("app.kubernetes.io/managed-by", "division");
    labels.put("division.io/install", run.install());
    labels.put("division.io/attempt", Integer.toString(run.attempt()));
    labels.put(OBJECT_LABEL, run.objectName());
    // The admin's variables first; the DIV_* values replace any of the same name, so a template
    // cannot shadow what the install is.
    Map<String, String> merged = new LinkedHashMap<>(template.env());
    merged.putAll(run.environment());
    List<EnvVar> env = new ArrayList<>();
    merged.forEach((k, v) -> env.add(new EnvVar(k, v, null)));
    ResourceRequirementsBuilder resources = new ResourceRequirementsBuilder();
    template
        .resources()
        .getOrDefault("requests", Map.of())
        .forEach((k, v) -> resources.addToRequests(k, new Quantity(v)));
    template
        .resources()
        .getOrDefault("limits", Map.of())
        .forEach((k, v) -> resources.addToLimits(k, new Quantity(v)));
    return new JobBuilder()
        .withNewMetadata()
        .withName(run.objectName())
        .withNamespace(template.namespace())
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .withBackoffLimit(template.backoffLimit())
        .withActiveDeadlineSeconds(template.activeDeadlineSeconds())
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .withRestartPolicy("Never")
        .withServiceAccountName(template.serviceAccountName())
        .addNewContainer()
        .withName("deploy")
        .withImage(template.image())
        .withCommand(template.command())
        .withArgs(template.args())
        .withEnv(env)
        .withResources(resources.build())
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  private final class JobHandle implements Handle {
    private final String name;
    private final PodLogStream logs;
    private final Consumer<String> log;
    private final java.util.Set<String> warned = new java.util.HashSet<>();
    private long nextPoll;
    private long nextWarningsCheck;

    JobHandle(String name, Consumer<String> log) {
      this.name = name;
      this.log = log;
      this.logs = new PodLogStream(client, template.namespace(), this::pod, log);
    }

    /**
     * A Job that makes no pod, or a pod that stays Pending, says why only in Events (quota,
     * unschedulable, image pull): each warning goes into the install's log once, every few seconds.
     */
    private void reportWarnings() {
      if (System.nanoTime() < nextWarningsCheck) return;
      nextWarningsCheck = System.nanoTime() + 5_000_000_000L;
      Pod pod = pod();
      String phase = pod == null || pod.getStatus() == null ? null : pod.getStatus().getPhase();
      if (pod != null && !"Pending".equals(phase)) return;
      List<String> warnings =
          new ArrayList<>(PodEvents.warnings(client, template.namespace(), "Job", name));
      if (pod != null)
        warnings.addAll(
            PodEvents.warnings(client, template.namespace(), "Pod", pod.getMetadata().getName()));
      for (String w : warnings) if (warned.add(w)) log.accept("[gateway] " + w);
    }

    private Pod pod() {
      List<Pod> pods =
          client
              .pods()
              .inNamespace(template.namespace())
              .withLabel(OBJECT_LABEL, name)
              .list()
              .getItems();
      return pods.isEmpty() ? null : pods.get(pods.size() - 1);
    }

    @Override
    public String state() {
      return "job/" + template.namespace() + "/" + name;
    }

    @Override
    public Outcome poll() {
      // The gateway polls often; the API server is asked at most once a second per install.
      if (System.nanoTime() < nextPoll) return null;
      nextPoll = System.nanoTime() + 1_000_000_000L;
      Job job = client.batch().v1().jobs().inNamespace(template.namespace()).withName(name).get();
      if (job == null) return new Outcome(false, "job/" + name + " was deleted");
      var status = job.getStatus();
      boolean succeeded =
          status != null && status.getSucceeded() != null && status.getSucceeded() > 0;
      JobCondition failed =
          status == null || status.getConditions() == null
              ? null
              : status.getConditions().stream()
                  .filter(c -> "Failed".equals(c.getType()) && "True".equals(c.getStatus()))
                  .findFirst()
                  .orElse(null);
      boolean tooManyFailures =
          status != null
              && status.getFailed() != null
              && status.getFailed() > template.backoffLimit();
      if (succeeded || failed != null || tooManyFailures) {
        logs.pump(true);
        logs.close();
        if (succeeded) return new Outcome(true, "job/" + name + " succeeded");
        String why =
            failed == null
                ? status.getFailed() + " failed pod(s)"
                : failed.getReason()
                    + (failed.getMessage() == null ? "" : ": " + failed.getMessage());
        return new Outcome(false, "job/" + name + " failed: " + why);
      }
      logs.pump(false);
      reportWarnings();
      return null;
    }

    @Override
    public void cancel() {
      client
          .batch()
          .v1()
          .jobs()
          .inNamespace(template.namespace())
          .withName(name)
          .withPropagationPolicy(io.fabric8.kubernetes.api.model.DeletionPropagation.BACKGROUND)
          .delete();
    }
  }
}
