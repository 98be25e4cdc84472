package io.division.core.wait;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.division.core.DivisionException;
import io.division.core.model.Json;
import io.division.core.model.ObjectMeta;
import io.division.core.model.Resource;
import io.division.core.model.ResourceKey;
import io.division.core.store.Store;
import io.division.core.store.sqlite.SqliteBackend;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one-shot, non-blocking check, and the spec as data: built, saved, read back, resumed. */
class WaitCheckTest {
  static final ResourceKey A1 = new ResourceKey("Approval", "default", "a1");
  @TempDir Path dir;
  Store store;
  Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

  @BeforeEach
  void open() {
    store = new Store(SqliteBackend.open(dir.resolve("division.db")));
  }

  @AfterEach
  void close() {
    store.close();
  }

  static Resource approval(String name, String phase) {
    return new Resource(
        null,
        "Approval",
        ObjectMeta.named(name, "default"),
        null,
        phase == null ? null : Json.object().put("phase", phase));
  }

  static WaitSpec approved() {
    return WaitSpec.builder()
        .key(A1)
        .until("jsonql=\"status.phase = 'Approved'\"")
        .failWhen("status.phase = 'Rejected'")
        .build();
  }

  @Test
  void notYetWhileAbsentOrNotMatchingThenMet() {
    assertThat(WaitCheck.check(store, approved(), clock).state())
        .isEqualTo(WaitStatus.State.NOT_YET);
    Resource created = store.create(approval("a1", "Pending"));
    WaitStatus pending = WaitCheck.check(store, approved(), clock);
    assertThat(pending.state()).isEqualTo(WaitStatus.State.NOT_YET);
    assertThat(pending.ended()).isFalse();
    assertThat(pending.spec().lastSeenVersion()).isEqualTo(created.resourceVersion());
    store.modify(A1, r -> r.withStatus(Json.object().put("phase", "Approved")));
    WaitStatus met = WaitCheck.check(store, pending.spec(), clock);
    assertThat(met.state()).isEqualTo(WaitStatus.State.MET);
    assertThat(met.resource().status().path("phase").asText()).isEqualTo("Approved");
    assertThat(met.failure()).isNull();
  }

  @Test
  void failedNamesTheFailureCondition() {
    store.create(approval("a1", "Rejected"));
    WaitStatus s = WaitCheck.check(store, approved(), clock);
    assertThat(s.state()).isEqualTo(WaitStatus.State.FAILED);
    assertThat(s.message())
        .isEqualTo("approval/a1 met the failure condition: status.phase = 'Rejected'");
    assertThat(s.failure().reason()).isEqualTo(DivisionException.Reason.FAILED);
  }

  @Test
  void aResourceSeenBeforeAndAbsentNowWasDeleted() {
    store.create(approval("a1", "Pending"));
    WaitSpec seen = WaitCheck.check(store, approved(), clock).spec();
    store.delete(A1);
    WaitStatus s = WaitCheck.check(store, seen, clock);
    assertThat(s.state()).isEqualTo(WaitStatus.State.DELETED);
    assertThat(s.message())
        .isEqualTo("approval/a1 was deleted while waiting for status.phase = 'Approved'");
  }

  @Test
  void pastTheDeadlineItTimesOutButAMetConditionStillWins() {
    WaitSpec spec = approved().toBuilder().timeout(Duration.ofSeconds(5), clock).build();
    Clock later = Clock.offset(clock, Duration.ofSeconds(5));
    WaitStatus s = WaitCheck.check(store, spec, later);
    assertThat(s.state()).isEqualTo(WaitStatus.State.TIMED_OUT);
    assertThat(s.message())
        .isEqualTo("timed out after 5s waiting for approval/a1: status.phase = 'Approved'");
    assertThat(s.failure().reason()).isEqualTo(DivisionException.Reason.TIMEOUT);
    assertThat(WaitCheck.check(store, spec, clock).state()).isEqualTo(WaitStatus.State.NOT_YET);
    store.create(approval("a1", "Approved"));
    assertThat(WaitCheck.check(store, spec, later).state()).isEqualTo(WaitStatus.State.MET);
  }

  @Test
  void deleteAndCreateModesAreAboutExistence() {
    WaitSpec deletion = WaitSpec.builder().key(A1).waitFor("delete").build();
    WaitSpec creation = WaitSpec.builder().key(A1).waitFor("create").build();
    assertThat(WaitCheck.check(store, deletion, clock).state()).isEqualTo(WaitStatus.State.MET);
    assertThat(WaitCheck.check(store, creation, clock).state()).isEqualTo(WaitStatus.State.NOT_YET);
    store.create(approval("a1", null));
    assertThat(WaitCheck.check(store, deletion, clock).state()).isEqualTo(WaitStatus.State.NOT_YET);
    assertThat(WaitCheck.check(store, creation, clock).state()).isEqualTo(WaitStatus.State.MET);
    assertThat(deletion.describe()).isEqualTo("approval/a1 deletion");
  }

  @Test
  void invalidSpecsAreRejectedWhenBuilt() {
    assertThatThrownBy(() -> WaitSpec.builder().key(A1).build())
        .isInstanceOf(DivisionException.class)
        .hasMessageContaining("what to wait for is missing");
    assertThatThrownBy(() -> WaitSpec.builder().key(A1).waitFor("delete").failWhen("a = 1").build())
        .hasMessage("a failure condition does not apply to a wait for delete");
    assertThatThrownBy(() -> WaitSpec.builder().key(A1).until("status.phase = ").build())
        .hasMessageContaining("expected a value");
    assertThatThrownBy(() -> WaitSpec.builder().key(A1).waitFor("ready").build())
        .hasMessageContaining("expected condition=TYPE");
    assertThatThrownBy(() -> WaitSpec.builder().until("a = 1").build())
        .hasMessageContaining("the resource it waits on");
    assertThatThrownBy(() -> WaitSpec.fromJson(Json.parse("{\"kind\":\"Approval\"}")))
        .hasMessage("wait spec: name is missing");
    assertThatThrownBy(
            () ->
                WaitSpec.fromJson(
                    Json.parse(
                        "{\"kind\":\"A\",\"name\":\"a\",\"until\":[\"a = 1\"],\"deadline\":\"soon\"}")))
        .hasMessageContaining("deadline must be an ISO-8601 instant");
  }

  @Test
  void aSpecSurvivesJavaSerializationAndJsonAndResumesOnAFreshlyOpenedStore() throws Exception {
    store.create(approval("a1", "Pending"));
    WaitSpec spec =
        approved().toBuilder()
            .waitFor("condition=Ready")
            .timeout(Duration.ofMinutes(10), clock)
            .build();
    spec = WaitCheck.check(store, spec, clock).spec();
    assertThat(spec.lastSeenVersion()).isNotNull();

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(spec);
    }
    WaitSpec fromJava;
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      fromJava = (WaitSpec) in.readObject();
    }
    WaitSpec fromJson = WaitSpec.fromJson(Json.parse(Json.write(fromJava.toJson())));
    assertThat(fromJava).isEqualTo(spec);
    assertThat(fromJson).isEqualTo(spec);

    // A process restart: the store is closed and opened afresh, the spec read back.
    store.close();
    store = new Store(SqliteBackend.open(dir.resolve("division.db")));
    assertThat(WaitCheck.check(store, fromJson, clock).state()).isEqualTo(WaitStatus.State.NOT_YET);
    store.modify(
        A1,
        r ->
            r.withStatus(
                Json.object()
                    .put("phase", "Approved")
                    .set(
                        "conditions",
                        Json.mapper()
                            .createArrayNode()
                            .add(Json.object().put("type", "Ready").put("status", "True")))));
    assertThat(WaitCheck.check(store, fromJson, clock).state()).isEqualTo(WaitStatus.State.MET);
    // Deleted while the process was down: the resumed spec knows it saw the resource.
    store.delete(A1);
    assertThat(WaitCheck.check(store, fromJson, clock).state()).isEqualTo(WaitStatus.State.DELETED);
  }
}
