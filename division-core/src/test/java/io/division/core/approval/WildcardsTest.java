package io.division.core.approval;

import static org.assertj.core.api.Assertions.assertThat;

import io.division.core.approval.sshsig.AllowedSigners;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WildcardsTest {
  @ParameterizedTest
  @CsvSource({
    "alice, alice, true",
    "alice, alicia, false",
    "*, anyone, true",
    "*, '', true",
    "'', '', true",
    "'', a, false",
    "a*, a, true",
    "a*e, alice, true",
    "a*e, alicia, false",
    "*@example.com, bob@example.com, true",
    "*@example.com, bob@example.org, false",
    "?ob, bob, true",
    "?ob, ob, false",
    "b?b*, bobby, true",
    "*a*a*, banana, true",
    "*a*a*b, banana, false",
    "arn:aws:iam::123:role/*, arn:aws:iam::123:role/release, true",
    "arn:aws:iam::123:role/*, arn:aws:iam::999:role/release, false",
    "a.c, abc, false",
    "a+c, a+c, true",
    "(x), (x), true"
  })
  void matchesAsOpenSshDoes(String pattern, String text, boolean expected) {
    assertThat(Wildcards.matches(pattern, text)).isEqualTo(expected);
  }

  @Test
  void nullMatchesNothing() {
    assertThat(Wildcards.matches("*", null)).isFalse();
  }

  @Test
  void approversAndAllowedSignersMatchAlike() {
    ApprovalPolicy policy =
        ApprovalPolicy.parse(
            io.division.core.model.Json.parse("{\"approvers\": [\"b?b\", \"group:rel-*\"]}"));
    assertThat(policy.admits("bob", Set.of())).isTrue();
    assertThat(policy.admits("bobby", Set.of())).isFalse();
    assertThat(policy.admits("carol", Set.of("rel-managers"))).isTrue();
    // The same patterns in an allowed-signers line (principals) agree.
    String key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHUQW1jAKh/B3YDfq0TupBjrS2Iik6QXuBhEU2tw/eOa";
    AllowedSigners signers = AllowedSigners.parse("b?b " + key, "test");
    byte[] blob = signers.entries().get(0).publicKey();
    assertThat(signers.find("bob", "division-approval", blob)).isPresent();
    assertThat(signers.find("bobby", "division-approval", blob)).isEmpty();
  }
}
