package io.division.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.division.core.model.Json;
import io.division.core.model.ObjectMeta;
import io.division.core.model.Resource;
import io.division.core.model.ResourceKey;
import io.division.core.selector.LabelSelector;
import io.division.core.store.ListQuery;
import io.division.core.store.Store;
import io.division.core.store.StoreBackend;
import io.division.core.store.Watch;
import io.division.core.store.WatchEvent;
import io.division.core.store.WatchQuery;
import io.division.core.store.dynamodb.DynamoBackend;
import io.division.core.store.dynamodb.DynamoDbLocalServer;
import io.division.core.store.sqlite.SqliteBackend;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Issue 4's figures: the embedded store's operations repeated on DynamoDB Local in the same run,
 * and watch latency on DynamoDB Local with 1 and with 50 concurrent watchers, each watcher on its
 * own backend handle (its own SDK client), as separate processes would be.
 */
final class DynamoBench {
  static void run(Path work, int n) throws Exception {
    try (DynamoDbLocalServer server = DynamoDbLocalServer.start()) {
      String prefix = DynamoDbLocalServer.uniquePrefix();
      Path db = work.resolve("side-by-side.db");
      double[] sqlite = ops(() -> SqliteBackend.open(db), n);
      double[] dynamo = ops(() -> DynamoBackend.open(server.settings(prefix)), n);
      String[] names = {
        "apply, one per call (resources/s)",
        "apply, 40 per atomic batch (resources/s)",
        "get p50 (ms)",
        "get p99 (ms)",
        "list all " + n + " (ms)",
        "list with selector, 1/10 match (ms)"
      };
      System.out.println(
          "## DynamoDB Local vs the embedded store, " + n + " resources, same run\n");
      System.out.println("| measure | embedded SQLite | DynamoDB Local |\n| --- | ---: | ---: |");
      for (int i = 0; i < names.length; i++)
        System.out.printf(Locale.ROOT, "| %s | %.3f | %.3f |%n", names[i], sqlite[i], dynamo[i]);
      System.out.println();
      System.out.println(
          "## watch latency on DynamoDB Local (write call start to event, 200 ms poll)\n");
      System.out.println(
          "| watchers | p50 ms | p90 ms | p99 ms | max ms | events |\n| ---: | ---: | ---: | ---: | ---: | ---: |");
      for (int watchers : new int[] {1, 50}) {
        Stats s = watchLatency(() -> DynamoBackend.open(server.settings(prefix)), watchers, 60, 4);
        System.out.println("| " + watchers + " | " + s.row() + " |");
      }
      System.out.println();
    }
  }

  private static Resource resource(int i) {
    ObjectNode spec = Json.object().put("requester", "ci").put("reason", "deploy build " + i);
    return new Resource(
        null,
        "Approval",
        new ObjectMeta(
            "a" + i, "default", Map.of("team", "t" + (i % 10)), null, null, null, null, null, null),
        spec,
        null);
  }

  private static double[] ops(Supplier<StoreBackend> backend, int n) throws Exception {
    double[] out = new double[6];
    try (Store store = new Store(backend.get())) {
      int half = n / 2;
      long t = System.nanoTime();
      for (int i = 0; i < half; i++) store.apply(resource(i));
      out[0] = half / ((System.nanoTime() - t) / 1e9);
      t = System.nanoTime();
      for (int i = half; i < n; i += 40) {
        List<Resource> batch = new ArrayList<>();
        for (int j = i; j < Math.min(n, i + 40); j++) batch.add(resource(j));
        store.applyAll(batch);
      }
      out[1] = (n - half) / ((System.nanoTime() - t) / 1e9);
      Random rnd = new Random(1);
      List<Long> gets = new ArrayList<>();
      for (int i = 0; i < 500; i++) {
        long s = System.nanoTime();
        store.get(new ResourceKey("Approval", "default", "a" + rnd.nextInt(n)));
        gets.add(System.nanoTime() - s);
      }
      Stats g = Stats.ofNanos(gets);
      out[2] = g.p50();
      out[3] = g.p99();
      long s = System.nanoTime();
      store.list(new ListQuery("Approval", "default", null));
      out[4] = (System.nanoTime() - s) / 1e6;
      s = System.nanoTime();
      store.list(new ListQuery("Approval", "default", LabelSelector.parse("team=t3")));
      out[5] = (System.nanoTime() - s) / 1e6;
    }
    return out;
  }

  static Stats watchLatency(Supplier<StoreBackend> backend, int watchers, int writes, int perSecond)
      throws Exception {
    List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch ready = new CountDownLatch(watchers);
    List<Thread> threads = new ArrayList<>();
    String kind = "Bench" + watchers;
    for (int w = 0; w < watchers; w++) {
      Thread t =
          new Thread(
              () -> {
                try (Store store = new Store(backend.get());
                    Watch watch = store.watch(new WatchQuery(kind, null, null, null))) {
                  ready.countDown();
                  int seen = 0;
                  long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
                  while (seen < writes && System.nanoTime() < deadline) {
                    WatchEvent e = watch.poll(Duration.ofSeconds(1));
                    if (e == null) continue;
                    seen++;
                    latencies.add(
                        System.nanoTime() - e.resource().spec().path("sentNanos").asLong());
                  }
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      t.start();
      threads.add(t);
    }
    ready.await();
    try (Store writer = new Store(backend.get())) {
      long interval = TimeUnit.SECONDS.toNanos(1) / perSecond;
      long next = System.nanoTime();
      for (int i = 0; i < writes; i++) {
        LockSupport.parkNanos(Math.max(0, next - System.nanoTime()));
        next += interval;
        writer.apply(
            new Resource(
                null,
                kind,
                ObjectMeta.named("w" + (i % 10), "default"),
                Json.object().put("sentNanos", System.nanoTime()),
                null));
      }
    }
    for (Thread t : threads) t.join();
    return Stats.ofNanos(new ArrayList<>(latencies));
  }
}
