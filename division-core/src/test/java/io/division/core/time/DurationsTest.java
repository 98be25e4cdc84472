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
    assertThat(Durations.parse("1m5s")).isEqualTo(Duration.ofSeconds(65));
    assertThat(Durations.parse("1ms5ns")).isEqualTo(Duration.ofNanos(1_000_005));
    assertThat(Durations.parse("2\u00b5s")).isEqualTo(Duration.ofNanos(2_000));
    assertThat(Durations.parse("0.25s")).isEqualTo(Duration.ofMillis(250));
    assertThat(Durations.parse("1.5ns")).isEqualTo(Duration.ofNanos(1)); // as Go: truncated
    assertThat(Durations.parse(" 30s ")).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void badDurationsAreRejectedWithTheReason() {
    assertThatThrownBy(() -> Durations.parse("10"))
        .hasMessage("invalid duration \"10\": a unit is required, e.g. 10s, 5m, 1h30m");
    assertThatThrownBy(() -> Durations.parse("10x"))
        .hasMessageStartingWith("invalid duration \"10x\": expected a number and a unit");
    assertThatThrownBy(() -> Durations.parse("")).hasMessageContaining("empty");
    assertThatThrownBy(() -> Durations.parse("1.s"))
        .hasMessage(
            "invalid duration \"1.s\": expected a number and a unit (ms, s, m, h) at \"1.s\"");
    assertThatThrownBy(() -> Durations.parse("5m.5s"))
        .hasMessage(
            "invalid duration \"5m.5s\": expected a number and a unit (ms, s, m, h) at \".5s\"");
    assertThatThrownBy(() -> Durations.parse("10s-"))
        .hasMessage(
            "invalid duration \"10s-\": expected a number and a unit (ms, s, m, h) at \"-\"");
    assertThatThrownBy(() -> Durations.parse("9999999999999h"))
        .hasMessage("invalid duration \"9999999999999h\": too long (at most about 292 years)");
    assertThatThrownBy(() -> Durations.parse("99999999999999999999s"))
        .hasMessageContaining("too long");
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
