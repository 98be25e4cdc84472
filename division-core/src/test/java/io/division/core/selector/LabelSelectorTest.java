package io.division.core.selector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelSelectorTest {
  private static final Map<String, String> WEB =
      Map.of("team", "web", "env", "prod", "example.com/tier", "front");

  private static boolean matches(String selector, Map<String, String> labels) {
    return LabelSelector.parse(selector).matches(labels);
  }

  @Test
  void equalityAndInequality() {
    assertThat(matches("team=web", WEB)).isTrue();
    assertThat(matches("team==web", WEB)).isTrue();
    assertThat(matches("team!=web", WEB)).isFalse();
    assertThat(matches("team!=db", WEB)).isTrue();
    assertThat(matches("owner!=bob", WEB))
        .as("!= matches a missing key, as in Kubernetes")
        .isTrue();
  }

  @Test
  void setBasedRequirements() {
    assertThat(matches("env in (prod,stage)", WEB)).isTrue();
    assertThat(matches("env in ( dev , stage )", WEB)).isFalse();
    assertThat(matches("env notin (dev)", WEB)).isTrue();
    assertThat(matches("owner notin (bob)", WEB)).isTrue();
  }

  @Test
  void existenceAndAbsence() {
    assertThat(matches("team", WEB)).isTrue();
    assertThat(matches("!team", WEB)).isFalse();
    assertThat(matches("!owner", WEB)).isTrue();
    assertThat(matches("example.com/tier", WEB)).isTrue();
  }

  @Test
  void aCommaMeansAnd() {
    assertThat(matches("team=web,env in (prod),!owner", WEB)).isTrue();
    assertThat(matches("team=web,env=dev", WEB)).isFalse();
  }

  @Test
  void emptySelectsEverythingAndTextRoundTrips() {
    assertThat(LabelSelector.parse("").isEverything()).isTrue();
    assertThat(LabelSelector.parse(null).matches(Map.of())).isTrue();
    LabelSelector s = LabelSelector.parse("team==web, env in (a,b),!x,y");
    assertThat(s.toString()).isEqualTo("team=web,env in (a,b),!x,y");
    assertThat(LabelSelector.parse(s.toString())).isEqualTo(s);
  }

  @Test
  void malformedSelectorsAreRejectedWithTheColumn() {
    assertThatThrownBy(() -> LabelSelector.parse("env in (a"))
        .isInstanceOf(SelectorSyntaxException.class)
        .hasMessage("invalid label selector \"env in (a\": expected ')' at column 10");
    assertThatThrownBy(() -> LabelSelector.parse("team=web,"))
        .hasMessageContaining("expected a label key at column 10");
    assertThatThrownBy(() -> LabelSelector.parse("team=we b")).hasMessageContaining("expected ','");
    assertThatThrownBy(() -> LabelSelector.parse("-bad=x"))
        .hasMessageContaining("invalid label key \"-bad\"");
    assertThatThrownBy(() -> LabelSelector.parse("team=" + "v".repeat(64)))
        .hasMessageContaining("invalid label value");
    assertThatThrownBy(() -> LabelSelector.parse("team < x"))
        .hasMessageContaining("'<' needs an integer");
    assertThatThrownBy(() -> LabelSelector.parse("team ~ 3"))
        .hasMessageContaining("expected an operator");
  }

  @Test
  void greaterAndLessThanCompareIntegerValuesAsKubectlDoes() {
    LabelSelector gt = LabelSelector.parse("rank>3");
    assertThat(gt.matches(Map.of("rank", "7"))).isTrue();
    assertThat(gt.matches(Map.of("rank", "3"))).isFalse();
    assertThat(gt.matches(Map.of("rank", "high"))).isFalse();
    assertThat(gt.matches(Map.of())).isFalse();
    LabelSelector lt = LabelSelector.parse("rank < 3, team=web");
    assertThat(lt.matches(Map.of("rank", "-1", "team", "web"))).isTrue();
    assertThat(lt.matches(Map.of("rank", "3", "team", "web"))).isFalse();
    assertThat(lt.toString()).isEqualTo("rank<3,team=web");
  }

  @Test
  void keysAndValuesFollowKubernetesRules() {
    assertThat(LabelValidation.validateKey("app.kubernetes.io/name")).isEmpty();
    assertThat(LabelValidation.validateKey("Upper/name")).isPresent();
    assertThat(LabelValidation.validateKey("a".repeat(64))).isPresent();
    assertThat(LabelValidation.validateValue("")).isEmpty();
    assertThat(LabelValidation.validateValue("v1.2_3-x")).isEmpty();
    assertThat(LabelValidation.validateValue("ends-")).isPresent();
  }
}
