package io.division.gateway;

import io.division.core.DivisionException;
import io.division.core.deploy.Executor;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Builds the Kubernetes executors from the gateway's own configuration (in-cluster or kubeconfig).
 */
public final class Executors {
  private Executors() {}

  public static Executor kubernetes(Path jobTemplate) {
    JobTemplate template =
        jobTemplate == null ? JobTemplate.DEFAULT : JobTemplate.load(jobTemplate);
    KubernetesClient client = client();
    return owning(new KubernetesJobExecutor(client, template), client);
  }

  public static Executor brigade(String namespace, Path script, String brigadeProject) {
    String text = null;
    if (script != null) {
      try {
        text = Files.readString(script);
      } catch (java.io.IOException e) {
        throw DivisionException.invalid(
            "cannot read Brigade script " + script + ": " + e.getMessage());
      }
    }
    KubernetesClient client = client();
    return owning(
        new BrigadeExecutor(
            client, namespace == null ? "default" : namespace, text, brigadeProject, "log"),
        client);
  }

  private static KubernetesClient client() {
    return new KubernetesClientBuilder().build();
  }

  /** An executor that closes the client it was given when it is closed itself. */
  private static Executor owning(Executor executor, KubernetesClient client) {
    return new Executor() {
      @Override
      public String name() {
        return executor.name();
      }

      @Override
      public Handle start(
          io.division.core.deploy.InstallRun run, java.util.function.Consumer<String> log)
          throws ExecutorException {
        return executor.start(run, log);
      }

      @Override
      public Adoption adopt(
          io.division.core.deploy.InstallRun run, java.util.function.Consumer<String> log)
          throws ExecutorException {
        return executor.adopt(run, log);
      }

      @Override
      public void close() {
        executor.close();
        client.close();
      }
    };
  }
}
