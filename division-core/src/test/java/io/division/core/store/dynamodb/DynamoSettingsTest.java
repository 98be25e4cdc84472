package io.division.core.store.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.division.core.DivisionException;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DynamoSettingsTest {
  @Test
  void theBareUrlOfTheOriginalMeansTheDefaultPrefixAndTheSdkDefaults() {
    DynamoSettings s = DynamoSettings.parse("dynamodb://");
    assertThat(s.tablePrefix()).isEqualTo("div");
    assertThat(s.region()).isNull();
    assertThat(s.endpoint()).isNull();
    assertThat(s.profile()).isNull();
    assertThat(s.credentials()).isNull();
    assertThat(s.createTables()).isTrue();
  }

  @Test
  void prefixRegionEndpointAndProfileAreParsedAndPrintedBack() {
    String url = "dynamodb://team1?region=eu-west-1&endpoint=http://127.0.0.1:8000&profile=ci";
    DynamoSettings s = DynamoSettings.parse(url);
    assertThat(s.tablePrefix()).isEqualTo("team1");
    assertThat(s.region()).isEqualTo("eu-west-1");
    assertThat(s.endpoint()).isEqualTo(URI.create("http://127.0.0.1:8000"));
    assertThat(s.profile()).isEqualTo("ci");
    assertThat(s.toUrl()).isEqualTo(url);
  }

  @Test
  void aBadUrlIsRejectedNamingTheProblem() {
    assertThatThrownBy(() -> DynamoSettings.parse("sqlite:/tmp/x"))
        .isInstanceOf(io.division.core.DivisionException.class)
        .hasMessageContaining("not a DynamoDB store URL");
    assertThatThrownBy(() -> DynamoSettings.parse("dynamodb://bad/prefix"))
        .hasMessageContaining("invalid table prefix");
    assertThatThrownBy(() -> DynamoSettings.parse("dynamodb://?colour=red"))
        .hasMessageContaining("unknown parameter \"colour\"");
    assertThatThrownBy(() -> DynamoSettings.parse("dynamodb://?region="))
        .hasMessageContaining("region is empty");
    assertThatThrownBy(() -> DynamoSettings.parse("dynamodb://?region=Mars"))
        .hasMessageContaining("invalid AWS region");
    assertThatThrownBy(() -> DynamoSettings.parse("dynamodb://?endpoint=ftp://x"))
        .hasMessageContaining("invalid endpoint");
  }

  @Test
  void staticCredentialsNeverShowTheirSecret() {
    DynamoSettings s =
        DynamoSettings.builder().staticCredentials("AKIDEXAMPLE", "very-secret").build();
    assertThat(s.toString()).doesNotContain("very-secret");
    assertThat(s.toUrl()).doesNotContain("AKIDEXAMPLE");
  }

  @Test
  void watchesSlowDownWhenIdleUpToTheIdleIntervalUnlessPollingIsFixed() {
    DynamoSettings defaults = DynamoSettings.defaults();
    assertThat(defaults.pollInterval()).isEqualTo(Duration.ofMillis(200));
    assertThat(defaults.idlePollInterval()).isEqualTo(Duration.ofMillis(800));

    DynamoSettings fixed = DynamoSettings.builder().fixedPolling().build();
    assertThat(fixed.idlePollInterval()).isEqualTo(fixed.pollInterval());

    // A poll interval longer than the default cap is never shortened by it.
    DynamoSettings slow = DynamoSettings.builder().pollInterval(Duration.ofSeconds(2)).build();
    assertThat(slow.idlePollInterval()).isEqualTo(Duration.ofSeconds(2));

    assertThat(defaults.toBuilder().build()).isEqualTo(defaults);
  }

  @Test
  void anIdleIntervalShorterThanThePollIntervalIsRejected() {
    assertThatThrownBy(
            () ->
                DynamoSettings.builder()
                    .pollInterval(Duration.ofSeconds(1))
                    .idlePollInterval(Duration.ofMillis(500))
                    .build())
        .isInstanceOf(DivisionException.class)
        .hasMessage("idlePollInterval (500 ms) must not be shorter than pollInterval (1000 ms)");
  }
}
