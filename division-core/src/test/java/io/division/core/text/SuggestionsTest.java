package io.division.core.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestionsTest {
  private static final List<String> COMMANDS =
      List.of("get", "gen", "describe", "delete", "apply", "diff", "wait", "logs", "deploy");

  @Test
  void aSwapOrASingleSlipFindsTheCommand() {
    assertThat(Suggestions.closest("gte", COMMANDS)).containsExactly("get");
    assertThat(Suggestions.closest("aply", COMMANDS)).containsExactly("apply");
    assertThat(Suggestions.closest("descirbe", COMMANDS)).containsExactly("describe");
    assertThat(Suggestions.closest("DIFF", COMMANDS)).containsExactly("diff");
  }

  @Test
  void farFromEverythingSuggestsNothing() {
    assertThat(Suggestions.closest("kubectl", COMMANDS)).isEmpty();
    assertThat(Suggestions.closest("", COMMANDS)).isEmpty();
    assertThat(Suggestions.closest("xyz", COMMANDS)).isEmpty();
  }
}
