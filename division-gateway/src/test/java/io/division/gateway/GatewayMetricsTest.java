package io.division.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.division.gateway.GatewayMetrics.Transition;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class GatewayMetricsTest {
  @Test
  void transitionsDurationsAndWatchLagInPrometheusTextFormat() {
    GatewayMetrics m = new GatewayMetrics();
    StringBuilder before = new StringBuilder();
    m.write(before);
    assertThat(before.toString())
        .contains("division_gateway_installs_total{transition=\"claimed\"} 0\n")
        .contains("division_gateway_watch_lag_seconds -1\n");

    m.transition(Transition.CLAIMED);
    m.transition(Transition.STARTED);
    m.transition(Transition.CLAIMED);
    m.finished(true, Duration.ofSeconds(12));
    m.finished(false, Duration.ofMinutes(45));
    m.transition(Transition.RETRIED);
    m.watchLag(Duration.ofMillis(1250));
    StringBuilder out = new StringBuilder();
    m.write(out);
    String text = out.toString();
    assertThat(text)
        .contains("# TYPE division_gateway_installs_total counter\n")
        .contains("division_gateway_installs_total{transition=\"claimed\"} 2\n")
        .contains("division_gateway_installs_total{transition=\"succeeded\"} 1\n")
        .contains("division_gateway_installs_total{transition=\"failed\"} 1\n")
        .contains("division_gateway_installs_total{transition=\"retried\"} 1\n")
        .contains("# TYPE division_gateway_install_duration_seconds histogram\n")
        .contains(
            "division_gateway_install_duration_seconds_bucket{outcome=\"succeeded\",le=\"5\"} 0\n")
        .contains(
            "division_gateway_install_duration_seconds_bucket{outcome=\"succeeded\",le=\"15\"} 1\n")
        .contains(
            "division_gateway_install_duration_seconds_bucket{outcome=\"succeeded\",le=\"+Inf\"} 1\n")
        .contains("division_gateway_install_duration_seconds_sum{outcome=\"succeeded\"} 12.0\n")
        .contains(
            "division_gateway_install_duration_seconds_bucket{outcome=\"failed\",le=\"1800\"} 0\n")
        .contains(
            "division_gateway_install_duration_seconds_bucket{outcome=\"failed\",le=\"3600\"} 1\n")
        .contains("division_gateway_install_duration_seconds_count{outcome=\"failed\"} 1\n")
        .contains("division_gateway_watch_lag_seconds 1.25\n");
    // Every sample line is "name{labels} value" or "name value": the text format's grammar.
    for (String line : text.split("\n"))
      if (!line.startsWith("#"))
        assertThat(line)
            .matches("[a-z_]+(\\{[a-z]+=\"[^\"]*\"(,[a-z]+=\"[^\"]*\")*\\})? -?[0-9.E+]+");
  }
}
