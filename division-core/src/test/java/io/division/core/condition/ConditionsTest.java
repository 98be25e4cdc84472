package io.division.core.condition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.division.core.model.Json;
import org.junit.jupiter.api.Test;

class ConditionsTest {
  private final JsonNode r =
      Json.parse(
          """
      {"kind": "Install", "metadata": {"name": "x", "labels": {"app": "web"}},
       "spec": {"replicas": 3, "ref": "v1.2"},
       "status": {"phase": "Done-ok", "ready": true, "empty": "", "count": 2.5, "nothing": null,
                  "conditions": [{"type": "Ready", "status": "True"}, {"type": "Synced", "status": "False"}]}}
      """);

  private boolean holds(String expression) {
    return Conditions.parseExpression(expression).test(r);
  }

  @Test
  void equalityOnStringsNumbersAndBooleans() {
    assertThat(holds("status.phase = 'Done-ok'")).isTrue();
    assertThat(holds("status.phase == \"Done-ok\"")).isTrue();
    assertThat(holds("spec.replicas = 3")).isTrue();
    assertThat(holds("spec.replicas = 3.0")).isTrue();
    assertThat(holds("status.ready = true")).isTrue();
    assertThat(holds("status.phase != 'Done-ok'")).isFalse();
  }

  @Test
  void regularExpressionsSearchUnanchoredLikeTheOriginal() {
    assertThat(holds("status.phase ~= 'Done.*'")).isTrue();
    assertThat(holds("status.phase ~= 'ok'")).isTrue();
    assertThat(holds("status.phase ~= '^ok$'")).isFalse();
  }

  @Test
  void orderingComparesNumbersNumericallyAndStringsLexically() {
    assertThat(holds("spec.replicas >= 3")).isTrue();
    assertThat(holds("spec.replicas > 10")).isFalse();
    assertThat(holds("status.count < 3")).isTrue();
    assertThat(holds("status.count <= -1")).isFalse();
    assertThat(holds("spec.ref > 'v1.1'")).isTrue();
    assertThat(holds("spec.ref > 1")).as("string against number").isFalse();
  }

  @Test
  void missingFieldsCompareAsNullAndNeverThrow() {
    assertThat(holds("status.missing = null")).isTrue();
    assertThat(holds("status.nothing = null")).isTrue();
    assertThat(holds("status.missing = 'x'")).isFalse();
    assertThat(holds("status.missing != 'x'"))
        .as("as the original: absent is not different")
        .isFalse();
    assertThat(holds("status.missing isnot defined or status.missing != 'x'")).isTrue();
    assertThat(holds("status.missing > 1")).isFalse();
    assertThat(holds("status.missing ~= '.*'")).isFalse();
  }

  @Test
  void nestedPathsWithIndexesAndLabels() {
    assertThat(holds("status.conditions[0].type = 'Ready'")).isTrue();
    assertThat(holds("status.conditions[1].status = 'False'")).isTrue();
    assertThat(holds("status.conditions[5].type = null")).isTrue();
    assertThat(holds("metadata.labels.app = 'web'")).isTrue();
    assertThat(holds("$.status.phase = 'Done-ok'")).isTrue();
    assertThat(holds(".status.phase = 'Done-ok'")).isTrue();
  }

  @Test
  void andBindsTighterThanOrAndNotAndParenthesesCompose() {
    assertThat(holds("spec.replicas = 1 or spec.replicas = 3 and status.ready = true")).isTrue();
    assertThat(holds("(spec.replicas = 1 or spec.replicas = 3) and status.ready = false"))
        .isFalse();
    assertThat(holds("not status.ready = false")).isTrue();
    assertThat(holds("!(spec.replicas = 3) || status.phase ~= 'Done'")).isTrue();
    assertThat(holds("spec.replicas = 3 AND NOT status.ready = false")).isTrue();
  }

  @Test
  void aBarePathIsTruthy() {
    assertThat(holds("status.ready")).isTrue();
    assertThat(holds("status.empty")).isFalse();
    assertThat(holds("status.missing")).isFalse();
    assertThat(holds("status.ready and spec.replicas")).isTrue();
  }

  @Test
  void describeGivesCanonicalText() {
    assertThat(Conditions.parseExpression("status.phase=='Approved'").describe())
        .isEqualTo("status.phase = 'Approved'");
    assertThat(Conditions.parseExpression("(a = 1 or b = 2) and not c").describe())
        .isEqualTo("(a = 1 or b = 2) and not c");
  }

  @Test
  void malformedExpressionsNameTheColumn() {
    assertThatThrownBy(() -> Conditions.parseExpression("status.phase = "))
        .isInstanceOfSatisfying(
            ConditionSyntaxException.class, e -> assertThat(e.column()).isEqualTo(16))
        .hasMessage("invalid condition \"status.phase = \": expected a value at column 16");
    assertThatThrownBy(() -> Conditions.parseExpression("status.phase = 'open"))
        .hasMessageContaining("unterminated string at column 16");
    assertThatThrownBy(() -> Conditions.parseExpression("(a = 1"))
        .hasMessageContaining("expected ')' at column 7");
    assertThatThrownBy(() -> Conditions.parseExpression("a = 1 b"))
        .hasMessageContaining("unexpected 'b' at column 7");
    assertThatThrownBy(() -> Conditions.parseExpression("a ~= '('"))
        .hasMessageContaining("invalid regular expression");
    assertThatThrownBy(() -> Conditions.parseExpression("a # 1"))
        .hasMessageContaining("unexpected character '#' at column 3");
    assertThatThrownBy(() -> Conditions.parseExpression("  ")).hasMessageContaining("empty");
  }

  @Test
  void kubectlConditionFormsReadStatusConditions() {
    assertThat(Conditions.parseFor("condition=Ready").test(r)).isTrue();
    assertThat(Conditions.parseFor("condition=ready").test(r)).isTrue();
    assertThat(Conditions.parseFor("condition=Synced").test(r)).isFalse();
    assertThat(Conditions.parseFor("condition=Synced=False").test(r)).isTrue();
    assertThat(Conditions.parseFor("condition=Missing").test(r)).isFalse();
  }

  @Test
  void kubectlJsonpathFormsCompareOrCheckPresence() {
    assertThat(Conditions.parseFor("jsonpath='{.status.phase}'=Done-ok").test(r)).isTrue();
    assertThat(Conditions.parseFor("jsonpath={.status.phase}=Done-ok").test(r)).isTrue();
    assertThat(Conditions.parseFor("jsonpath={.spec.replicas}=3").test(r)).isTrue();
    assertThat(Conditions.parseFor("jsonpath={.status.phase}=Other").test(r)).isFalse();
    assertThat(Conditions.parseFor("jsonpath={.status.phase}").test(r)).isTrue();
    assertThat(Conditions.parseFor("jsonpath={.status.empty}").test(r)).isFalse();
    assertThatThrownBy(() -> Conditions.parseFor("ready"))
        .hasMessageContaining("expected condition=TYPE[=STATUS]");
    assertThat(Conditions.parseFor("jsonpath=.status.phase=Done-ok").test(r)).isTrue();
    assertThat(Conditions.parseFor("jsonpath=status.phase").test(r)).isTrue();
    assertThat(Conditions.parseFor("jsonpath='.spec.replicas'=3").test(r)).isTrue();
  }

  @Test
  void kubectlJsonpathFormsThatKubectlRejectsAreRejectedAtOnce() {
    assertThatThrownBy(() -> Conditions.parseFor("jsonpath={.status.conditions[*]}"))
        .isInstanceOf(ConditionSyntaxException.class)
        .hasMessageContaining("can select several values (a wildcard)");
    assertThatThrownBy(() -> Conditions.parseFor("jsonpath={..name}=x"))
        .hasMessageContaining("recursive descent");
    assertThatThrownBy(() -> Conditions.parseFor("jsonpath={.status.phase}="))
        .hasMessageContaining("the value after '=' is empty");
    assertThatThrownBy(() -> Conditions.parseFor("jsonpath='{.status}'={\"phase\":\"x\"}"))
        .hasMessageContaining("not an object");
    assertThatThrownBy(() -> Conditions.parseFor("condition=Ready="))
        .hasMessageContaining("status after '=' is empty");
    // A path that meets an object when evaluated cannot be compared: an error, not a wait.
    Condition onObject = Conditions.parseFor("jsonpath={.status}=x");
    assertThatThrownBy(() -> onObject.test(r))
        .isInstanceOf(io.division.core.DivisionException.class)
        .hasMessageContaining("is an object or a list");
  }

  @Test
  void aConditionObservedForAnOlderGenerationDoesNotCount() {
    JsonNode stale =
        Json.parse(
            """
        {"metadata": {"name": "x", "generation": 3},
         "status": {"conditions": [{"type": "Ready", "status": "True", "observedGeneration": 2}]}}
        """);
    JsonNode fresh =
        Json.parse(
            """
        {"metadata": {"name": "x", "generation": 3},
         "status": {"conditions": [{"type": "Ready", "status": "True", "observedGeneration": 3}]}}
        """);
    assertThat(Conditions.parseFor("condition=Ready").test(stale)).isFalse();
    assertThat(Conditions.parseFor("condition=Ready=False").test(stale)).isFalse();
    assertThat(Conditions.parseFor("condition=Ready").test(fresh)).isTrue();
  }

  @Test
  void theOriginalsIsAndIsnotOperatorsAndNegatedRegex() {
    assertThat(holds("status.phase is defined")).isTrue();
    assertThat(holds("status.nothing is defined")).as("present with null").isTrue();
    assertThat(holds("status.missing is defined")).isFalse();
    assertThat(holds("status.missing isnot defined")).isTrue();
    assertThat(holds("status.phase isnot defined")).isFalse();
    assertThat(holds("status.nothing is null")).isTrue();
    assertThat(holds("status.missing is null")).as("absent is not null, as the original").isFalse();
    assertThat(holds("status.phase is null")).isFalse();
    assertThat(holds("status.phase isnot null")).isTrue();
    assertThat(holds("status.nothing isnot null")).isFalse();
    assertThat(holds("status.phase !~= 'Fail.*'")).isTrue();
    assertThat(holds("status.phase !~= '^Done'")).isFalse();
    assertThat(holds("status.missing !~= 'x'")).isFalse();
    assertThat(holds("not status.missing is defined and status.phase is defined")).isTrue();
    assertThat(Conditions.parseExpression("status.x isnot defined").describe())
        .isEqualTo("status.x isnot defined");
    assertThatThrownBy(() -> Conditions.parseExpression("status.x is 'y'"))
        .hasMessageContaining("expected 'defined' or 'null' after 'is'");
    assertThatThrownBy(() -> Conditions.parseExpression("status.x !~= 1"))
        .hasMessageContaining("!~= needs a quoted regular expression");
  }
}
