package io.division.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** Real fabric8 clients failing for real: an API server that is not there, and one that refuses. */
@EnableKubernetesMockClient
class KubernetesErrorsTest {
  static KubernetesMockServer server;
  static KubernetesClient client;

  static JobBuilder job() {
    return new JobBuilder()
        .withNewMetadata()
        .withName("j1")
        .withNamespace("deploys")
        .endMetadata()
        .withNewSpec()
        .withNewTemplate()
        .withNewSpec()
        .addNewContainer()
        .withName("c")
        .withImage("busybox")
        .endContainer()
        .withRestartPolicy("Never")
        .endSpec()
        .endTemplate()
        .endSpec();
  }

  @Test
  void anUnreachableApiServerIsNamedWithTheConnectionsOwnReason() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    Config config =
        new ConfigBuilder()
            .withMasterUrl("http://127.0.0.1:" + closedPort)
            .withRequestRetryBackoffLimit(0)
            .withConnectionTimeout(2000)
            .build();
    try (KubernetesClient unreachable = new KubernetesClientBuilder().withConfig(config).build()) {
      KubernetesClientException e =
          catchThrowableOfType(
              KubernetesClientException.class,
              () -> unreachable.batch().v1().jobs().resource(job().build()).create());
      assertThat(e.getMessage()).isEqualTo(KubernetesErrors.GENERIC); // what fabric8 says
      assertThat(KubernetesErrors.describe(e))
          .doesNotContain(KubernetesErrors.GENERIC)
          .containsIgnoringCase("connect")
          .doesNotContain("\n");
    }
  }

  @Test
  void anApiServersRefusalIsItsCodeReasonAndMessage() {
    server
        .expect()
        .post()
        .withPath("/apis/batch/v1/namespaces/deploys/jobs")
        .andReturn(
            403,
            new StatusBuilder()
                .withCode(403)
                .withReason("Forbidden")
                .withMessage(
                    "jobs.batch is forbidden: User \"system:serviceaccount:division:gw\" cannot"
                        + " create resource \"jobs\" in API group \"batch\" in the namespace"
                        + " \"deploys\"")
                .build())
        .once();
    KubernetesClientException e =
        catchThrowableOfType(
            KubernetesClientException.class,
            () -> client.batch().v1().jobs().resource(job().build()).create());
    assertThat(KubernetesErrors.describe(e))
        .startsWith("HTTP 403 Forbidden: jobs.batch is forbidden: User")
        .contains("in the namespace \"deploys\"");
  }

  @Test
  void nestedCausesAreKeptOnceInnermostLast() {
    var root =
        new java.net.UnknownHostException("kubernetes.default.svc: Name or service not known");
    var wrapped =
        new KubernetesClientException(
            KubernetesErrors.GENERIC, new java.io.IOException(root.getMessage(), root));
    assertThat(KubernetesErrors.describe(wrapped))
        .isEqualTo("UnknownHostException: kubernetes.default.svc: Name or service not known");
    assertThat(KubernetesErrors.describe(new KubernetesClientException(KubernetesErrors.GENERIC)))
        .isEqualTo(KubernetesErrors.GENERIC);
  }
}
