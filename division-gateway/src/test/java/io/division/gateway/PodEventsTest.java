package io.division.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.Test;

/** Events as an API server keeps them (fabric8's mock server in CRUD mode). */
@EnableKubernetesMockClient(crud = true)
class PodEventsTest {
  static KubernetesClient client;

  static void event(
      String name, String pod, String type, String reason, String message, String at) {
    client
        .v1()
        .events()
        .inNamespace("deploys")
        .resource(
            new EventBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace("deploys")
                .endMetadata()
                .withNewInvolvedObject()
                .withKind("Pod")
                .withName(pod)
                .withNamespace("deploys")
                .endInvolvedObject()
                .withType(type)
                .withReason(reason)
                .withMessage(message)
                .withLastTimestamp(at)
                .build())
        .create();
  }

  @Test
  void theWarningsAboutOnePodOldestFirstWithoutRepeats() {
    event(
        "e2",
        "job-a-x1",
        "Warning",
        "ErrImagePull",
        "Failed to pull image \"helmfile:nope\": not found",
        "2026-11-30T12:00:05Z");
    event(
        "e1",
        "job-a-x1",
        "Warning",
        "FailedScheduling",
        "0/3 nodes are available: 3 Insufficient cpu.",
        "2026-11-30T12:00:01Z");
    event("e3", "job-a-x1", "Normal", "Scheduled", "Successfully assigned", "2026-11-30T12:00:02Z");
    event(
        "e4",
        "other-pod",
        "Warning",
        "FailedScheduling",
        "not about our pod",
        "2026-11-30T12:00:03Z");
    event(
        "e5",
        "job-a-x1",
        "Warning",
        "FailedScheduling",
        "0/3 nodes are available: 3 Insufficient cpu.",
        "2026-11-30T12:00:01Z");

    assertThat(PodEvents.warnings(client, "deploys", "Pod", "job-a-x1"))
        .containsExactly(
            "FailedScheduling: 0/3 nodes are available: 3 Insufficient cpu.",
            "ErrImagePull: Failed to pull image \"helmfile:nope\": not found");
    assertThat(PodEvents.warnings(client, "deploys", "Pod", "no-such-pod")).isEmpty();
    assertThat(PodEvents.warnings(client, "deploys", "Job", "job-a-x1")).isEmpty();
  }
}
