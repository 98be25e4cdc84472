package io.division.core.store.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.division.core.model.Json;
import io.division.core.model.ObjectMeta;
import io.division.core.model.Resource;
import io.division.core.model.ResourceKey;
import io.division.core.store.ListQuery;
import io.division.core.store.LogLine;
import io.division.core.store.Store;
import io.division.core.store.StoreException;
import io.division.core.store.Watch;
import io.division.core.store.WatchEvent;
import io.division.core.store.WatchQuery;
import io.division.core.store.Write;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;

/** What the shared suite cannot see: DynamoDB's paging, trimmed change logs, errors, batches. */
@ExtendWith(DynamoDbLocalExtension.class)
class DynamoBackendTest {
  private static DynamoDbLocalServer server;

  @BeforeAll
  static void server(DynamoDbLocalServer shared) {
    server = shared;
  }

  private static Resource approval(String name) {
    return new Resource(
        null,
        "Approval",
        ObjectMeta.named(name, "default"),
        Json.object().put("requester", "ci"),
        null);
  }

  private static ResourceKey key(String name) {
    return new ResourceKey("Approval", "default", name);
  }

  private static StoreException.Reason reasonOf(Throwable t) {
    return ((StoreException) t).reason();
  }

  @Test
  void aCallersCredentialsProviderAndHttpClientAreUsedAndTheHttpClientStaysTheirs() {
    AtomicInteger credentialLookups = new AtomicInteger();
    AtomicInteger requests = new AtomicInteger();
    AtomicBoolean closed = new AtomicBoolean();
    SdkHttpClient own = UrlConnectionHttpClient.create();
    SdkHttpClient counting =
        new SdkHttpClient() {
          @Override
          public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
            requests.incrementAndGet();
            return own.prepareRequest(request);
          }

          @Override
          public void close() {
            closed.set(true);
            own.close();
          }
        };
    AwsCredentialsProvider credentials =
        () -> {
          credentialLookups.incrementAndGet();
          return AwsBasicCredentials.create(
              DynamoDbLocalServer.ACCESS_KEY_ID, DynamoDbLocalServer.SECRET_ACCESS_KEY);
        };
    // Settings without credentials: only the given provider can sign these requests.
    DynamoSettings settings =
        server.settingsBuilder(DynamoDbLocalServer.uniquePrefix()).credentials(null).build();
    DynamoClientOptions given =
        DynamoClientOptions.builder().credentialsProvider(credentials).httpClient(counting).build();
    try (Store store = new Store(DynamoBackend.open(settings, given))) {
      store.create(approval("a1"));
      assertThat(store.get(key("a1")).name()).isEqualTo("a1");
    }
    assertThat(requests.get()).isGreaterThan(0);
    assertThat(credentialLookups.get()).isGreaterThan(0);
    assertThat(closed).as("the caller's HTTP client is the caller's to close").isFalse();
    counting.close();
  }

  @Test
  void listReadsEveryPageWhenATableHoldsMoreThanOneMegabyte() {
    String prefix = DynamoDbLocalServer.uniquePrefix();
    CallRecorder recorder = new CallRecorder();
    String big = "x".repeat(100_000);
    try (Store store =
        new Store(
            DynamoBackend.open(
                server.settings(prefix),
                DynamoClientOptions.builder().interceptor(recorder).build()))) {
      for (int i = 0; i < 12; i++) {
        store.create(approval(String.format("a%02d", i)).withSpec(Json.object().put("blob", big)));
      }
      recorder.clear();
      List<Resource> items = store.list(ListQuery.all("Approval")).items();
      assertThat(items).hasSize(12);
      assertThat(items.get(11).spec().get("blob").asText()).hasSize(100_000);
      assertThat(recorder.operations.stream().filter("Scan"::equals).count())
          .isGreaterThanOrEqualTo(2);
    }
  }

  @Test
  void aWatchFromAVersionWhoseChangeRecordsExpiredIsGone() throws Exception {
    String prefix = DynamoDbLocalServer.uniquePrefix();
    try (Store store = new Store(DynamoBackend.open(server.settings(prefix)));
        DynamoDbClient raw = server.client()) {
      for (int i = 1; i <= 3; i++) store.create(approval("a" + i));
      expire(raw, prefix, 1);
      expire(raw, prefix, 2);

      assertThatThrownBy(() -> store.watch(new WatchQuery("Approval", null, null, "0")))
          .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(StoreException.Reason.GONE));
      try (Watch watch = store.watch(new WatchQuery("Approval", null, null, "2"))) {
        WatchEvent e = watch.poll(Duration.ofSeconds(5));
        assertThat(e.resource().name()).isEqualTo("a3");
      }
    }
  }

  @Test
  void aWatchThatFallsBehindTheTrimmedChangeLogIsGoneInsteadOfSkippingChanges() throws Exception {
    String prefix = DynamoDbLocalServer.uniquePrefix();
    try (Store store = new Store(DynamoBackend.open(server.settings(prefix)));
        DynamoDbClient raw = server.client()) {
      store.create(approval("a1"));
      try (Watch watch = store.watch(new WatchQuery("Approval", null, null, null))) {
        store.create(approval("a2"));
        store.create(approval("a3"));
        expire(raw, prefix, 2);
        assertThatThrownBy(() -> watch.poll(Duration.ofSeconds(5)))
            .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(StoreException.Reason.GONE));
      }
    }
  }

  @Test
  void aDamagedItemIsNamedTheRestAreListedAndItCanBeDeleted() {
    String prefix = DynamoDbLocalServer.uniquePrefix();
    try (Store store = new Store(DynamoBackend.open(server.settings(prefix)));
        DynamoDbClient raw = server.client()) {
      for (String name : List.of("a1", "a2", "a3")) store.create(approval(name));
      raw.updateItem(
          b ->
              b.tableName(prefix + ".Approval.ns.default")
                  .key(Map.of("name", AttributeValue.fromS("a2")))
                  .updateExpression("SET body = :b")
                  .expressionAttributeValues(Map.of(":b", AttributeValue.fromS("{\"kind\": 1"))));
      assertThatThrownBy(() -> store.get(key("a2")))
          .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(StoreException.Reason.INTERNAL))
          .hasMessageStartingWith("approval/a2 in namespace default is damaged in the store");
      var list = store.list(ListQuery.all("Approval"));
      assertThat(list.items()).extracting(Resource::name).containsExactly("a1", "a3");
      assertThat(list.damaged()).extracting(d -> d.key().name()).containsExactly("a2");
      store.delete(key("a2"));
      assertThat(store.list(ListQuery.all("Approval")).damaged()).isEmpty();
    }
  }

  /** What DynamoDB's TTL does to an old change record. */
  private static void expire(DynamoDbClient raw, String prefix, long rv) {
    raw.deleteItem(
        b ->
            b.tableName(DynamoTables.changes(prefix, "Approval"))
                .key(
                    Map.of(
                        "kind",
                        AttributeValue.fromS("Approval"),
                        "rv",
                        AttributeValue.fromN(Long.toString(rv)))));
  }

  @Test
  void manyWatchersSeeConcurrentWritesFromManyHandlesInOrderWithNoGapOrDuplicate()
      throws Exception {
    String prefix = DynamoDbLocalServer.uniquePrefix();
    DynamoSettings settings = server.settings(prefix);
    int writers = 3;
    int each = 15;
    int watchers = 10;
    List<Store> stores = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(writers + watchers);
    try {
      for (int i = 0; i < writers + 2; i++) stores.add(new Store(DynamoBackend.open(settings)));
      stores.get(0).create(approval("seed"));
      String from = stores.get(0).list(ListQuery.all("Approval")).resourceVersion();
      List<Future<List<Long>>> seen = new ArrayList<>();
      for (int w = 0; w < watchers; w++) {
        Store watcherStore = stores.get(writers + w % 2);
        Watch watch = watcherStore.watch(new WatchQuery("Approval", null, null, from));
        seen.add(
            pool.submit(
                () -> {
                  try (watch) {
                    List<Long> versions = new ArrayList<>();
                    // Generous: on a machine shared by many builds DynamoDB Local is slow.
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
                    while (versions.size() < writers * each && System.nanoTime() < deadline) {
                      WatchEvent e = watch.poll(Duration.ofMillis(500));
                      if (e != null) versions.add(Long.parseLong(e.resourceVersion()));
                    }
                    return versions;
                  }
                }));
      }
      List<Future<?>> writes = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        Store s = stores.get(w);
        int id = w;
        writes.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < each; i++) s.create(approval("w" + id + "-" + i));
                }));
      }
      for (Future<?> f : writes) f.get(240, TimeUnit.SECONDS);
      long start = Long.parseLong(from);
      List<Long> expected = new ArrayList<>();
      for (long v = start + 1; v <= start + writers * each; v++) expected.add(v);
      for (Future<List<Long>> f : seen) {
        // Dense versions per kind: exactly every version after the list, once, in order.
        assertThat(f.get(300, TimeUnit.SECONDS)).containsExactlyElementsOf(expected);
      }
    } finally {
      pool.shutdownNow();
      stores.forEach(Store::close);
    }
  }

  @Test
  void aBatchTooLargeForOneTransactionIsInvalidAndWritesNothing() {
    try (Store store =
        new Store(DynamoBackend.open(server.settings(DynamoDbLocalServer.uniquePrefix())))) {
      List<Write> writes = new ArrayList<>();
      for (int i = 0; i < 50; i++)
        writes.add(
            new Write.Create(
                approval("a" + i)
                    .withMetadata(
                        approval("a" + i)
                            .metadata()
                            .withSystemFields(
                                "uid-" + i,
                                null,
                                1L,
                                "2026-01-01T00:00:00Z",
                                "2026-01-01T00:00:00Z"))));
      assertThatThrownBy(() -> store.backend().write(writes))
          .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(StoreException.Reason.INVALID))
          .hasMessageContaining("at most 100");
      assertThat(store.list(ListQuery.all("Approval")).items()).isEmpty();
    }
  }

  @Test
  void aWriteToAMissingTableThatMayNotBeCreatedNamesTheTableAndTheAction() {
    String prefix = DynamoDbLocalServer.uniquePrefix();
    try (Store store =
        new Store(DynamoBackend.open(server.settingsBuilder(prefix).createTables(false).build()))) {
      assertThat(store.find(key("a1"))).isEmpty();
      assertThatThrownBy(() -> store.create(approval("a1")))
          .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(StoreException.Reason.UNAVAILABLE))
          .hasMessageContaining("table " + prefix + ".Approval.")
          .hasMessageContaining("does not exist")
          .hasMessageContaining("dynamodb:CreateTable")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
  }

  @Test
  void credentialsDynamoDbRejectsGiveAOneLineForbiddenErrorNamingActionAndTable() {
    String prefix = DynamoDbLocalServer.uniquePrefix();
    DynamoSettings bad =
        server.settingsBuilder(prefix).staticCredentials("not a key!", "x").build();
    try (Store store = new Store(DynamoBackend.open(bad))) {
      assertThatThrownBy(() -> store.get(key("a1")))
          .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(StoreException.Reason.FORBIDDEN))
          .hasMessageStartingWith(
              "AWS rejected the credentials for dynamodb:GetItem on table "
                  + prefix
                  + ".Approval.ns.default")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
  }

  @Test
  void missingCredentialsGiveAOneLineErrorNamingActionTableAndWhatToSet() {
    String prefix = DynamoDbLocalServer.uniquePrefix();
    DynamoSettings none =
        DynamoSettings.parse(
            "dynamodb://"
                + prefix
                + "?region=us-east-1&endpoint="
                + server.endpoint()
                + "&profile=division-test-no-such-profile");
    try (Store store = new Store(DynamoBackend.open(none))) {
      assertThatThrownBy(() -> store.list(ListQuery.all("Approval")))
          .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(StoreException.Reason.UNAVAILABLE))
          .hasMessageStartingWith(
              "no AWS credentials for dynamodb:GetItem on table " + prefix + ".Approval.changes")
          .hasMessageContaining("AWS_PROFILE")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
  }

  @Test
  void accessDeniedBecomesAOneLineForbiddenErrorNamingActionAndTable() {
    DynamoDbException denied =
        (DynamoDbException)
            DynamoDbException.builder()
                .statusCode(400)
                .awsErrorDetails(
                    AwsErrorDetails.builder()
                        .errorCode("AccessDeniedException")
                        .errorMessage(
                            "User: arn:aws:iam::123456789012:user/ci is not authorized to perform:\n dynamodb:Query on resource: arn:aws:dynamodb:eu-west-1:123456789012:table/div.Approval.changes")
                        .build())
                .build();
    StoreException e = DynamoErrors.translate("Query", "div.Approval.changes", denied);
    assertThat(e.reason()).isEqualTo(StoreException.Reason.FORBIDDEN);
    assertThat(e.getMessage())
        .startsWith(
            "access denied: dynamodb:Query on table div.Approval.changes (User: arn:aws:iam::123456789012:user/ci")
        .contains("div gen iampolicy")
        .doesNotContain("\n");
  }

  @Test
  void logLinesWrittenInManyBatchesComeBackInOrderPageByPage() {
    try (Store store =
        new Store(DynamoBackend.open(server.settings(DynamoDbLocalServer.uniquePrefix())))) {
      store.create(approval("a1"));
      List<String> lines = new ArrayList<>();
      for (int i = 1; i <= 60; i++) lines.add("line " + i);
      assertThat(store.appendLog(key("a1"), lines)).isEqualTo(60);

      List<String> read = new ArrayList<>();
      long after = 0;
      List<LogLine> page;
      while (!(page = store.readLog(key("a1"), after, 25)).isEmpty()) {
        assertThat(page.size()).isLessThanOrEqualTo(25);
        page.forEach(l -> read.add(l.text()));
        after = page.get(page.size() - 1).seq();
      }
      assertThat(read).containsExactlyElementsOf(lines);
    }
  }

  @Test
  void concurrentAppendersThroughTwoHandlesMakeOneContiguousOrderedLog() throws Exception {
    DynamoSettings settings = server.settings(DynamoDbLocalServer.uniquePrefix());
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try (Store a = new Store(DynamoBackend.open(settings));
        Store b = new Store(DynamoBackend.open(settings))) {
      a.create(approval("a1"));
      List<Future<?>> futures = new ArrayList<>();
      for (Store s : List.of(a, b)) {
        String who = s == a ? "a" : "b";
        futures.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 10; i++)
                    s.appendLog(key("a1"), List.of(who + i + ".1", who + i + ".2", who + i + ".3"));
                }));
      }
      for (Future<?> f : futures) f.get(60, TimeUnit.SECONDS);
      List<LogLine> log = a.readLog(key("a1"), 0, 1000);
      assertThat(log)
          .extracting(LogLine::seq)
          .containsExactlyElementsOf(
              java.util.stream.LongStream.rangeClosed(1, 60).boxed().toList());
      for (String who : List.of("a", "b")) {
        List<String> mine = log.stream().map(LogLine::text).filter(t -> t.startsWith(who)).toList();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 10; i++) for (int j = 1; j <= 3; j++) expected.add(who + i + "." + j);
        assertThat(mine).containsExactlyElementsOf(expected);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void betweenScheduledReadsAWatchReadsNothingYetStillDeliversWhatTheLastReadCovered()
      throws Exception {
    // A poll interval of an hour: after its first read, the watching handle reads the counter
    // again only when a write goes through it.
    DynamoSettings settings =
        server
            .settingsBuilder(DynamoDbLocalServer.uniquePrefix())
            .pollInterval(Duration.ofHours(1))
            .build();
    DynamoBackend watching = DynamoBackend.open(settings);
    try (Store store = new Store(watching);
        Store other = new Store(DynamoBackend.open(settings))) {
      for (int i = 1; i <= 3; i++) other.create(approval("before" + i));
      try (Watch watch = store.watch(new WatchQuery("Approval", null, null, "0"))) {
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 3; i++) seen.add(watch.poll(Duration.ZERO).resource().name());
        assertThat(seen).containsExactly("before1", "before2", "before3");
        DynamoBackend.WatchReads afterStart = watching.watchReads();
        assertThat(afterStart.counterReads()).isEqualTo(1);
        assertThat(afterStart.changeQueries()).isEqualTo(1);

        other.create(approval("quiet"));
        assertThat(watch.poll(Duration.ofMillis(100))).isNull();
        assertThat(watching.watchReads().counterReads()).isEqualTo(1);

        store.create(approval("local"));
        assertThat(watch.poll(Duration.ZERO).resource().name()).isEqualTo("quiet");
        assertThat(watch.poll(Duration.ZERO).resource().name()).isEqualTo("local");
        assertThat(watching.watchReads().counterReads()).isEqualTo(2);
      }
    }
  }

  @Test
  void watchReadsCountTheCallsAndTheReadUnitsDynamoDbReports() throws Exception {
    DynamoSettings settings =
        server.settingsBuilder(DynamoDbLocalServer.uniquePrefix()).fixedPolling().build();
    DynamoBackend watching = DynamoBackend.open(settings);
    try (Store store = new Store(watching);
        Store other = new Store(DynamoBackend.open(settings));
        Watch watch = store.watch(new WatchQuery("Approval", null, null, null))) {
      other.create(approval("a1"));
      WatchEvent event = null;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (event == null && System.nanoTime() < deadline)
        event = watch.poll(Duration.ofSeconds(1));
      assertThat(event).isNotNull();
      DynamoBackend.WatchReads reads = watching.watchReads();
      assertThat(reads.counterReads()).isPositive();
      assertThat(reads.changeQueries()).isEqualTo(1);
      assertThat(reads.unreported()).isZero();
      // Strongly consistent reads of items under 4 KB: one unit per call.
      assertThat(reads.readUnits()).isEqualTo(reads.counterReads() + reads.changeQueries());
    }
  }
}
