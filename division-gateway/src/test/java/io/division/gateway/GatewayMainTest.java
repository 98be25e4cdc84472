package io.division.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The container entry point's command line. */
class GatewayMainTest {
  @Test
  void takesTheOptionsOfDivGatewayInBothSpellings() {
    GatewayMain.Arguments a =
        GatewayMain.parse(
            new String[] {
              "--cluster=prod-eu",
              "--project",
              "shop",
              "--install-timeout=5m",
              "--heartbeat",
              "2s",
              "--health-port=8080",
              "--health-address",
              "0.0.0.0",
              "--state-dir=/var/lib/division",
              "--config",
              "/etc/division/div.yaml",
              "--",
              "helmfile",
              "--environment",
              "prod",
              "apply"
            });
    GatewaySettings s = a.settings();
    assertThat(s.options().cluster()).isEqualTo("prod-eu");
    assertThat(s.options().project()).isEqualTo("shop");
    assertThat(s.options().installTimeout()).isEqualTo(Duration.ofMinutes(5));
    assertThat(s.options().heartbeatEvery()).isEqualTo(Duration.ofSeconds(2));
    assertThat(s.healthPort()).isEqualTo(8080);
    assertThat(s.healthAddress()).isEqualTo("0.0.0.0");
    assertThat(s.stateDir()).isEqualTo(Path.of("/var/lib/division"));
    assertThat(s.command()).containsExactly("helmfile", "--environment", "prod", "apply");
    assertThat(a.config()).isEqualTo(Path.of("/etc/division/div.yaml"));
  }

  @Test
  void defaultsAreTheSafeOnes() {
    GatewaySettings s =
        GatewayMain.parse(new String[] {"--cluster", "c1", "--executor", "kubernetes"}).settings();
    assertThat(s.healthPort()).isEqualTo(-1);
    assertThat(s.healthAddress()).isEqualTo("127.0.0.1");
    assertThat(s.executor()).isEqualTo(GatewaySettings.ExecutorKind.kubernetes);
  }

  @Test
  void aBadCommandLineIsOneLineAndExitCodeTwo() {
    assertThatThrownBy(() -> GatewayMain.parse(new String[] {"--clustr", "c1"}))
        .hasMessage("unknown option \"--clustr\"");
    assertThatThrownBy(() -> GatewayMain.parse(new String[] {"--project", "p"}))
        .hasMessage("--cluster NAME is required");
    assertThatThrownBy(
            () -> GatewayMain.parse(new String[] {"--cluster", "c1", "--executor", "k8s"}))
        .hasMessageContaining("expected process, kubernetes or brigade");
    assertThatThrownBy(
            () ->
                GatewayMain.parse(
                    new String[] {"--cluster", "c1", "--executor=kubernetes", "--", "x"}))
        .hasMessageContaining("a COMMAND is for the process executor only");
    assertThatThrownBy(() -> GatewayMain.parse(new String[] {"--cluster", "c1", "--heartbeat"}))
        .hasMessage("option --heartbeat needs a value");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        GatewayMain.run(
            new String[] {"--cluster", "Not A Name", "--", "true"},
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(code).isEqualTo(2);
    List<String> lines = err.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(lines.get(0)).startsWith("error: ").contains("Not A Name");
  }
}
