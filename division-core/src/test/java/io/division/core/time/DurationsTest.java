package io.division.core.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
  @Test
  void goStyleDurationsParse() {
    assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse("10s")).isEqualTo(Duration.ofSeconds(10));
    assertThat(Durations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(Durations.parse("2h45m10s")).isEqualTo(Duration.ofSeconds(2 * 3600 + 45 * 60 + 10));
    assertThat(Durations.parse("1.5h")).isEqualTo(Duration.ofMinutes(90));
    assertThat(Durations.parse("300us")).isEqualTo(Duration.ofNanos(300_000));
    assertThat(Durations.parse("0")).isEqualTo(Duration.ZERO);
  }

  @Test
  void badDurationsAreRejectedWithTheReason() {
    assertThatThrownBy(() -> Durations.parse("10"))
        .hasMessage("invalid duration \"10\": a unit is required, e.g. 10s, 5m, 1h30m");
    assertThatThrownBy(() -> Durations.parse("10x"))
        .hasMessageStartingWith("invalid duration \"10x\": expected a number and a unit");
    assertThatThrownBy(() -> Durations.parse("")).hasMessageContaining("empty");
  }

  @Test
  void formatGivesTheShortestForm() {
    assertThat(Durations.format(Duration.ofMinutes(90))).isEqualTo("1h30m");
    assertThat(Durations.format(Duration.ofSeconds(10))).isEqualTo("10s");
    assertThat(Durations.format(Duration.ofMillis(500))).isEqualTo("500ms");
    assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1.5s");
    assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
  }
}
