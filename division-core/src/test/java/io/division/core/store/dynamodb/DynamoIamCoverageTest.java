package io.division.core.store.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.division.core.iam.IamPolicyGenerator;
import io.division.core.iam.IamPolicyGenerator.Access;
import io.division.core.model.Json;
import io.division.core.model.ObjectMeta;
import io.division.core.model.Resource;
import io.division.core.model.ResourceKey;
import io.division.core.store.ListQuery;
import io.division.core.store.Store;
import io.division.core.store.Watch;
import io.division.core.store.WatchQuery;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The generated IAM policy against the calls the backend really makes on DynamoDB Local: each
 * access level allows every (action, table) its operations use, and nothing they do not use.
 */
@ExtendWith(DynamoDbLocalExtension.class)
class DynamoIamCoverageTest {
  private static DynamoDbLocalServer server;

  @BeforeAll
  static void server(DynamoDbLocalServer shared) {
    server = shared;
  }

  private static final ResourceKey A1 = new ResourceKey("Approval", "default", "a1");

  private static Resource approval(String name, String phase) {
    return new Resource(
        null,
        "Approval",
        ObjectMeta.named(name, "default"),
        Json.object().put("requester", "ci"),
        phase == null ? null : Json.object().put("phase", phase));
  }

  @Test
  void theWriteonlyPolicyAllowsExactlyWhatWritingAFreshStoreCalls() {
    String prefix = DynamoDbLocalServer.uniquePrefix();
    CallRecorder recorder = new CallRecorder();
    try (Store store =
        new Store(
            DynamoBackend.open(
                server.settings(prefix),
                DynamoClientOptions.builder().interceptor(recorder).build()))) {
      store.create(approval("a1", null));
      store.apply(approval("a1", "Approved"));
      store.appendLog(A1, List.of("one", "two"));
      store.create(approval("a2", null));
      store.delete(new ResourceKey("Approval", "default", "a2"));
    }
    assertExactlyCovered(recorder.calls, policy(Access.WRITEONLY, prefix));
  }

  @Test
  void theReadonlyPolicyAllowsExactlyWhatReadingCalls() throws Exception {
    String prefix = DynamoDbLocalServer.uniquePrefix();
    try (Store writer = new Store(DynamoBackend.open(server.settings(prefix)))) {
      writer.create(approval("a1", null));
      writer.appendLog(A1, List.of("one"));
    }
    CallRecorder recorder = new CallRecorder();
    try (Store store =
        new Store(
            DynamoBackend.open(
                server.settings(prefix),
                DynamoClientOptions.builder().interceptor(recorder).build()))) {
      store.get(A1);
      String rv = store.list(ListQuery.all("Approval")).resourceVersion();
      store.list(new ListQuery("Approval", "default", null));
      store.readLog(A1, 0, 10);
      try (Watch watch = store.watch(new WatchQuery("Approval", null, null, "0"))) {
        assertThat(watch.poll(Duration.ofSeconds(5))).isNotNull();
      }
      assertThat(rv).isEqualTo("1");
    }
    assertExactlyCovered(recorder.calls, policy(Access.READONLY, prefix));
  }

  private static JsonNode policy(Access access, String prefix) {
    return IamPolicyGenerator.generate(
        IamPolicyGenerator.Request.of(access, List.of("Approval")).withTablePrefix(prefix));
  }

  /** Every call is allowed; every allowed pair on the kind's own tables was called. */
  private static void assertExactlyCovered(Set<String> calls, JsonNode policy) {
    Set<String> allowedPairs = new TreeSet<>();
    for (JsonNode s : policy.get("Statement")) {
      // The CRD statements serve kind resolution in the CLI, which the backend alone never does.
      if (s.get("Sid").asText().startsWith(IamPolicyGenerator.CRD_KIND)) continue;
      for (JsonNode action : s.get("Action")) {
        for (JsonNode resource : s.get("Resource")) {
          String table = resource.asText().substring(resource.asText().indexOf(":table/") + 7);
          allowedPairs.add(action.asText().substring("dynamodb:".length()) + " " + table);
        }
      }
    }
    for (String call : calls) {
      boolean allowed = allowedPairs.stream().anyMatch(pair -> matches(pair, call));
      assertThat(allowed).as("policy allows " + call + " (allowed: " + allowedPairs + ")").isTrue();
    }
    for (String pair : allowedPairs) {
      boolean used = calls.stream().anyMatch(call -> matches(pair, call));
      assertThat(used)
          .as("policy allows " + pair + " but no operation called it; calls: " + calls)
          .isTrue();
    }
  }

  private static boolean matches(String pattern, String call) {
    String regex = Pattern.quote(pattern).replace("*", "\\E.*\\Q");
    return call.matches(regex);
  }
}
