package io.division.core.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.division.core.DivisionException;
import io.division.core.deploy.status.DeploymentSpec;
import io.division.core.deploy.status.InstallStatus;
import io.division.core.kind.BuiltinKinds;
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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Submit, advance and cancel against the real embedded store, with a gateway's reconciler driven
 * pass by pass.
 */
class DeployerTest {
  static final String APP = "shop-web";
  static final String RELEASE = DeployNames.releaseName(APP, "c1");

  @TempDir Path dir;
  Store store;
  Store gatewayStore;
  final List<Reconciler> reconcilers = new ArrayList<>();
  final List<Store> extraStores = new ArrayList<>();
  final ScriptedExecutor executor = new ScriptedExecutor();
  final MovableClock clock = new MovableClock(Instant.parse("2026-11-30T12:00:00Z"));

  /** A clock the test moves forward, so that deadlines pass without waiting for them. */
  static final class MovableClock extends Clock {
    volatile Instant now;

    MovableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  @BeforeEach
  void open() {
    store = openStore();
    gatewayStore = openStore();
    store.create(
        new Resource(
            null,
            BuiltinKinds.APPLICATION,
            ObjectMeta.named(APP, "default"),
            Json.object().put("project", "shop"),
            null));
  }

  @AfterEach
  void close() {
    for (Reconciler r : reconcilers) r.close();
    for (Store s : extraStores) s.close();
    gatewayStore.close();
    store.close();
  }

  private Store openStore() {
    return new Store(SqliteBackend.open(dir.resolve("division.db")));
  }

  /** Core's tests drive one reconciler at a time: its lease is always held. */
  static Lease heldLease() {
    String holder = "c1-test-" + java.util.UUID.randomUUID();
    return new Lease() {
      @Override
      public String holder() {
        return holder;
      }

      @Override
      public boolean held() {
        return true;
      }

      @Override
      public long generation() {
        return 1;
      }
    };
  }

  private Reconciler gateway() {
    Reconciler r =
        new Reconciler(gatewayStore, GatewayOptions.of("c1"), executor, heldLease(), clock);
    reconcilers.add(r);
    return r;
  }

  private static void pass(Reconciler r) {
    r.reconcileDeployments();
    r.reconcileInstalls();
  }

  private DeployRequest request(String ref, Duration timeout) {
    return DeployRequest.builder()
        .project("shop")
        .app(APP)
        .ref(ref)
        .cluster("c1")
        .timeout(timeout)
        .build();
  }

  private List<String> runs() {
    return executor.started;
  }

  private Resource install(String ref) {
    return store.get(
        new ResourceKey(BuiltinKinds.INSTALL, "default", DeployNames.installName(APP, "c1", ref)));
  }

  @Test
  void submitWritesTheDeploymentWithItsRequestTargetsAndDeadlineAndAdvanceWaitsForTheGateway() {
    Deployer deployer = new Deployer(store, clock);
    DeploySubmission s = deployer.submit(request("v1", Duration.ofMinutes(5)));
    assertThat(s.targets()).singleElement().satisfies(t -> assertThat(t.cluster()).isEqualTo("c1"));
    assertThat(s.deadline()).isEqualTo(clock.now.plus(Duration.ofMinutes(5)));
    DeploymentSpec spec =
        DeploymentSpec.from(store.get(new ResourceKey(BuiltinKinds.DEPLOYMENT, "default", APP)));
    assertThat(spec.request()).isEqualTo(s.targets().get(0).request());
    assertThat(spec.clusters()).containsExactly("c1");
    assertThat(spec.deadline()).isEqualTo(s.deadline());
    assertThat(spec.cancelled()).isFalse();

    DeployProgress p = deployer.advance(s);
    assertThat(p.state()).isEqualTo(DeployProgress.State.RUNNING);
    assertThat(p.targets())
        .singleElement()
        .satisfies(t -> assertThat(t.phase()).isEqualTo("Waiting"));
    assertThat(p.lines()).isEmpty();

    clock.advance(Duration.ofSeconds(11));
    p = deployer.advance(p.submission());
    assertThat(p.lines())
        .extracting(DeployProgress.Line::prefixed)
        .containsExactly(
            "[c1 shop-web] no answer yet from the gateway of cluster c1 (no gateway has ever registered cluster c1)");
    assertThat(deployer.advance(p.submission()).lines()).as("said once").isEmpty();

    clock.advance(Duration.ofMinutes(5));
    p = deployer.advance(p.submission());
    assertThat(p.state()).isEqualTo(DeployProgress.State.TIMED_OUT);
    assertThat(p.failure().reason()).isEqualTo(DivisionException.Reason.TIMEOUT);
    assertThat(p.failure()).hasMessage("deploy of v1 timed out after 5m");
    assertThat(p.table()).contains("timed out after 5m: no gateway answered for cluster c1");
  }

  @Test
  void aDeployRunsToSuccessPassByPassAndItsSubmissionRoundTrips() throws Exception {
    Deployer deployer = new Deployer(store, clock);
    Reconciler gateway = gateway();
    DeploySubmission s = deployer.submit(request("v1", Duration.ofMinutes(5)));
    List<String> lines = new ArrayList<>();
    DeploySubmission[] current = {s};
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              pass(gateway);
              DeployProgress p = deployer.advance(current[0]);
              current[0] = p.submission();
              p.lines().forEach(l -> lines.add(l.text()));
              return p.state() == DeployProgress.State.SUCCEEDED;
            });
    assertThat(lines).contains("first line of v1", "last line of v1");
    DeploySubmission done = current[0];
    assertThat(done.targets().get(0).install()).isEqualTo(DeployNames.installName(APP, "c1", "v1"));
    assertThat(done.targets().get(0).ended().succeeded()).isTrue();
    assertThat(DeploySubmission.fromJson(Json.parse(Json.write(done.toJson())))).isEqualTo(done);
    assertThat(javaRoundTrip(done)).isEqualTo(done);
    assertThat(runs()).containsExactly("v1");
  }

  @Test
  void
      aDeployResumedFromItsSerializedSubmissionOnAFreshlyOpenedStoreCarriesOnWithoutRepeatingALine()
          throws Exception {
    Deployer first = new Deployer(store, clock);
    Reconciler gateway = gateway();
    DeploySubmission[] current = {first.submit(request("gated1", Duration.ofMinutes(5)))};
    List<String> lines = new ArrayList<>();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              pass(gateway);
              DeployProgress p = first.advance(current[0]);
              current[0] = p.submission();
              p.lines().forEach(l -> lines.add(l.text()));
              return lines.contains("first line of gated1");
            });
    // The process following the deploy stops; what it persisted is all the next one gets.
    byte[] saved =
        Json.write(current[0].toJson()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    store.close();
    executor.release("gated1");

    store = openStore();
    Deployer second = new Deployer(store, clock);
    current[0] =
        DeploySubmission.fromJson(
            Json.parse(new String(saved, java.nio.charset.StandardCharsets.UTF_8)));
    DeployProgress[] last = {null};
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              pass(gateway);
              last[0] = second.advance(current[0]);
              current[0] = last[0].submission();
              last[0].lines().forEach(l -> lines.add(l.text()));
              return last[0].state().ended();
            });
    assertThat(last[0].state()).isEqualTo(DeployProgress.State.SUCCEEDED);
    assertThat(lines)
        .filteredOn(l -> !l.startsWith("==="))
        .containsExactly("first line of gated1", "last line of gated1");
    assertThat(runs()).containsExactly("gated1");
  }

  @Test
  void aCancelledDeployIsNotInstalledByAGatewayThatStartsAfterwardsUnlessAskedAgain()
      throws Exception {
    Deployer deployer = new Deployer(store, clock);
    DeploySubmission s = deployer.submit(request("v2", Duration.ofMinutes(5)));
    deployer.cancel(s);
    assertThat(
            DeploymentSpec.from(store.get(new ResourceKey(BuiltinKinds.DEPLOYMENT, "default", APP)))
                .cancelled())
        .isTrue();

    Reconciler late = gateway();
    pass(late);
    pass(late);
    Resource release = store.get(new ResourceKey(BuiltinKinds.RELEASE, "default", RELEASE));
    assertThat(release.statusText("outcome")).isEqualTo("Withdrawn");
    assertThat(release.statusText("message")).isEqualTo("the deploy of v2 was cancelled");
    assertThat(
            store.find(
                new ResourceKey(
                    BuiltinKinds.INSTALL, "default", DeployNames.installName(APP, "c1", "v2"))))
        .isEmpty();
    DeployProgress p = deployer.advance(s);
    assertThat(p.state()).isEqualTo(DeployProgress.State.CANCELLED);
    assertThat(p.failure().reason()).isEqualTo(DivisionException.Reason.CANCELLED);
    assertThat(runs()).isEmpty();

    // Asked again: a new request, and the gateway runs it.
    DeploySubmission again = deployer.submit(request("v2", Duration.ofMinutes(5)));
    DeploySubmission[] current = {again};
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              pass(late);
              DeployProgress q = deployer.advance(current[0]);
              current[0] = q.submission();
              return q.state() == DeployProgress.State.SUCCEEDED;
            });
    assertThat(runs()).containsExactly("v2");
  }

  @Test
  void aTimedOutDeployIsNotInstalledByAGatewayThatStartsAfterwards() throws Exception {
    Deployer deployer = new Deployer(store, clock);
    DeploySubmission s = deployer.submit(request("v3", Duration.ofSeconds(30)));
    clock.advance(Duration.ofSeconds(31));
    assertThat(deployer.advance(s).state()).isEqualTo(DeployProgress.State.TIMED_OUT);
    // No cancel: the deadline recorded in the Deployment alone keeps the late gateway off it.
    Reconciler late = gateway();
    pass(late);
    pass(late);
    Resource release = store.get(new ResourceKey(BuiltinKinds.RELEASE, "default", RELEASE));
    assertThat(release.statusText("outcome")).isEqualTo("Withdrawn");
    assertThat(release.statusText("message")).startsWith("the deploy of v3 passed its deadline");
    assertThat(runs()).isEmpty();
    DeployProgress p = deployer.advance(s);
    assertThat(p.state()).isEqualTo(DeployProgress.State.TIMED_OUT);
    assertThat(p.targets())
        .singleElement()
        .satisfies(t -> assertThat(t.phase()).isEqualTo("Expired"));
  }

  @Test
  void anAnsweredButUnstartedInstallOfACancelledDeployIsNotStarted() throws Exception {
    Deployer deployer = new Deployer(store, clock);
    Reconciler gateway = gateway();
    DeploySubmission s = deployer.submit(request("v4", Duration.ofMinutes(5)));
    gateway.reconcileDeployments(); // answered: the Install is Pending, not claimed yet
    assertThat(install("v4").statusText("phase")).isEqualTo("Pending");
    deployer.cancel(s);
    gateway.reconcileInstalls();
    InstallStatus status = InstallStatus.from(install("v4"));
    assertThat(status.phase()).isEqualTo("Failed");
    assertThat(status.startedAt()).isNull();
    assertThat(status.message()).isEqualTo("not started: the deploy of v4 was cancelled");
    DeployProgress p = deployer.advance(s);
    assertThat(p.state()).isEqualTo(DeployProgress.State.CANCELLED);
    assertThat(runs()).isEmpty();
  }

  @Test
  void cancelCurrentWithdrawsWhatTheDeploymentAsksForFromAnotherProcess() {
    Deployer deployer = new Deployer(store, clock);
    deployer.submit(request("v5", Duration.ofMinutes(5)));
    List<DeploymentSpec> cancelled =
        new Deployer(openStoreForCleanup(), clock).cancelCurrent("default", "shop", List.of());
    assertThat(cancelled).singleElement().satisfies(d -> assertThat(d.ref()).isEqualTo("v5"));
    assertThat(new Deployer(store, clock).cancelCurrent("default", "shop", List.of())).isEmpty();
  }

  private Store openStoreForCleanup() {
    Store s = openStore();
    extraStores.add(s);
    return s;
  }

  /** A lease a test moves by hand: lapsed or held, and at which generation. */
  static final class SteeredLease implements Lease {
    volatile boolean held = true;
    volatile long generation = 1;

    @Override
    public String holder() {
      return "c1-steered";
    }

    @Override
    public boolean held() {
      return held;
    }

    @Override
    public long generation() {
      return generation;
    }
  }

  @Test
  void aLeaseThatLapsesAndComesBackUnchangedKeepsItsAttemptsAndOneHeldByAnotherHandsThemOver() {
    Deployer deployer = new Deployer(store, clock);
    SteeredLease lease = new SteeredLease();
    List<String> events = new ArrayList<>();
    Reconciler gateway =
        new Reconciler(gatewayStore, GatewayOptions.of("c1"), executor, lease, clock, events::add);
    reconcilers.add(gateway);

    deployer.submit(request("gated-1", Duration.ofMinutes(5)));
    pass(gateway);
    assertThat(runs()).containsExactly("gated-1");
    lease.held = false; // a slow pass: nobody else took the lease
    executor.release("gated-1");
    pass(gateway);
    assertThat(install("gated-1").statusText("phase")).as("nothing written").isEqualTo("Running");
    lease.held = true;
    pass(gateway);
    assertThat(install("gated-1").statusText("phase")).isEqualTo("Succeeded");
    assertThat(events).as("its own attempt is never adopted").isEmpty();

    deployer.submit(request("gated-2", Duration.ofMinutes(5)));
    pass(gateway);
    lease.held = false;
    lease.generation = 3; // another gateway held it meanwhile and adopted the attempt
    lease.held = true;
    pass(gateway);
    assertThat(events)
        .containsExactly(
            "lease lost: handing 1 running attempt(s) over to the new leader",
            "install default/shop-web-c1-gated-2: outcome unknown (the scripted executor keeps no"
                + " records)");
    assertThat(runs()).containsExactly("gated-1", "gated-2");
  }

  @Test
  void installsOfTheSameNameInTwoNamespacesAreFollowedApart() {
    store.create(
        new Resource(
            null,
            BuiltinKinds.APPLICATION,
            ObjectMeta.named(APP, "other"),
            Json.object().put("project", "shop"),
            null));
    Deployer deployer = new Deployer(store, clock);
    Reconciler gateway = gateway();
    deployer.submit(request("gated-3", Duration.ofMinutes(5)));
    deployer.submit(
        DeployRequest.builder()
            .project("shop")
            .app(APP)
            .ref("gated-3")
            .cluster("c1")
            .namespace("other")
            .timeout(Duration.ofMinutes(5))
            .build());
    pass(gateway);
    assertThat(runs()).containsExactly("gated-3", "gated-3");
    assertThat(gateway.activeCount()).isEqualTo(2);
    executor.release("gated-3");
    pass(gateway);
    String name = DeployNames.installName(APP, "c1", "gated-3");
    for (String ns : List.of("default", "other"))
      assertThat(store.get(new ResourceKey(BuiltinKinds.INSTALL, ns, name)).statusText("phase"))
          .as(ns)
          .isEqualTo("Succeeded");
  }

  @Test
  void malformedStatusValuesAreReportedAsInvalidNamingTheResourceAndField() throws Exception {
    Deployer deployer = new Deployer(store, clock);
    Reconciler gateway = gateway();
    DeploySubmission s = deployer.submit(request("v6", Duration.ofMinutes(5)));
    gateway.reconcileDeployments();
    ResourceKey installKey =
        new ResourceKey(BuiltinKinds.INSTALL, "default", DeployNames.installName(APP, "c1", "v6"));
    store.modify(
        installKey, i -> i.withStatus(((ObjectNode) i.status().deepCopy()).put("attempt", "two")));
    assertThatThrownBy(() -> deployer.advance(s))
        .isInstanceOfSatisfying(
            DivisionException.class,
            e -> assertThat(e.reason()).isEqualTo(DivisionException.Reason.INVALID))
        .hasMessage(
            "install/shop-web-c1-v6 in default: status.attempt must be a whole number, not \"two\"");
    gateway.reconcileInstalls(); // no crash: the install is left alone and reported
    assertThat(gateway.invalidInstalls()).containsKey(installKey);
    assertThat(runs()).isEmpty();

    ResourceKey releaseKey = new ResourceKey(BuiltinKinds.RELEASE, "default", RELEASE);
    store.modify(
        releaseKey,
        r -> r.withStatus(((ObjectNode) r.status().deepCopy()).put("outcome", "Maybe")));
    assertThatThrownBy(() -> deployer.advance(s))
        .hasMessageStartingWith("release/shop-web-c1 in default: status.outcome must be one of");

    ResourceKey deploymentKey = new ResourceKey(BuiltinKinds.DEPLOYMENT, "default", APP);
    store.modify(
        deploymentKey,
        d -> d.withSpec(((ObjectNode) d.spec().deepCopy()).put("deadline", "tomorrow")));
    assertThatThrownBy(() -> deployer.advance(s))
        .hasMessageStartingWith(
            "deployment/shop-web in default: spec.deadline must be a timestamp");
    store.modify(
        deploymentKey,
        d ->
            d.withSpec(
                ((ObjectNode) d.spec().deepCopy())
                    .put("deadline", "2030-01-01T00:00:00Z")
                    .put("request", "by-hand")
                    .put("ref", "v7")
                    .set("clusters", Json.object())));
    gateway.reconcileDeployments(); // the gateway says why on the Release
    assertThat(store.get(releaseKey).statusText("outcome")).isEqualTo("Rejected");
    assertThat(store.get(releaseKey).statusText("message"))
        .isEqualTo(
            "deployment/shop-web in default: spec.clusters must be a list of strings, not {}");

    assertThatThrownBy(() -> DeploySubmission.fromJson(Json.parse("{\"namespace\":1}")))
        .hasMessage("deploy submission: targets must be a list");
  }

  private static DeploySubmission javaRoundTrip(DeploySubmission s) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(s);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (DeploySubmission) in.readObject();
    }
  }
}
