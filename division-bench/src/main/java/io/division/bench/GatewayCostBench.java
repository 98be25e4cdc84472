package io.division.bench;

import io.division.bench.CapacityCountingProxy.Call;
import io.division.bench.CapacityCountingProxy.Counts;
import io.division.bench.DynamoProcsBench.Child;
import io.division.core.deploy.DeployProgress;
import io.division.core.deploy.DeployRequest;
import io.division.core.deploy.DeploySubmission;
import io.division.core.deploy.Deployer;
import io.division.core.kind.BuiltinKinds;
import io.division.core.model.Json;
import io.division.core.model.ObjectMeta;
import io.division.core.model.Resource;
import io.division.core.store.ListQuery;
import io.division.core.store.Store;
import io.division.core.store.dynamodb.DynamoBackend;
import io.division.core.store.dynamodb.DynamoDbLocalServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * What a gateway reads from DynamoDB, as deployed: DynamoDB Local in its own JVM, a real {@code
 * ./div gateway} process (default heartbeat, process executor) whose every DynamoDB call goes
 * through a {@link CapacityCountingProxy}, and this harness as the writer, talking to DynamoDB
 * Local directly so that none of its own reads is counted. Three phases: idle on an empty store,
 * deploying N applications M times (every install through the gateway), and idle with what that
 * left behind (N Applications, Deployments and Releases, N x M Installs).
 */
final class GatewayCostBench {
  private static final String PREFIX = "gwcost";

  private GatewayCostBench() {}

  /** One phase: what the gateway asked for, over how long, how many passes, the load. */
  private record Phase(
      String name,
      double seconds,
      Map<Call, Counts> byOperation,
      long passes,
      double loadBefore,
      double loadAfter) {
    double units(java.util.Set<String> ops) {
      return byOperation.entrySet().stream()
          .filter(e -> ops.contains(e.getKey().operation()))
          .mapToDouble(e -> e.getValue().units())
          .sum();
    }

    long calls(java.util.Set<String> ops) {
      return byOperation.entrySet().stream()
          .filter(e -> ops.contains(e.getKey().operation()))
          .mapToLong(e -> e.getValue().calls())
          .sum();
    }

    long unreported() {
      return byOperation.values().stream().mapToLong(Counts::unreported).sum();
    }

    double perHour(double v) {
      return v * 3600 / seconds;
    }
  }

  static void run(Path repo, Path work, int idleSeconds, int apps, int refs) throws Exception {
    Path dir = work.resolve("gateway-cost");
    Files.createDirectories(dir.resolve("home"));
    List<Process> started = new CopyOnWriteArrayList<>();
    Process gateway = null;
    List<Phase> phases = new ArrayList<>();
    Thread cleanup = new Thread(() -> DynamoProcsBench.stopAll(started));
    Runtime.getRuntime().addShutdownHook(cleanup);
    try {
      Child local = Child.start(List.of(started), List.of(), "ddb-local-child");
      String ready = local.expect("ready ");
      URI direct = URI.create("http://127.0.0.1:" + ready.substring("ready ".length()));
      try (CapacityCountingProxy proxy = CapacityCountingProxy.start(direct);
          Store store =
              new Store(
                  DynamoBackend.open(
                      DynamoProcsBench.settings(direct.toString(), PREFIX).build()))) {
        int healthPort = freePort();
        gateway = startGateway(repo, dir, proxy.endpoint(), healthPort);
        started.add(gateway);
        awaitCluster(store, gateway);
        // Let the gateway's JVM settle (class loading, JIT, its first passes) before counting.
        DynamoProcsBench.park(Duration.ofSeconds(15));

        System.err.println("phase 1: idle, empty store, " + idleSeconds + " s");
        phases.add(
            idle("idle, empty store (only the gateway's Cluster)", proxy, healthPort, idleSeconds));

        System.err.printf(Locale.ROOT, "phase 2: deploying %d applications %d times%n", apps, refs);
        double loadBefore = DynamoProcsBench.loadAverage();
        Map<Call, Counts> before = proxy.snapshot();
        long passesBefore = passes(healthPort);
        long from = System.nanoTime();
        deploy(store, apps, refs);
        phases.add(
            new Phase(
                "deploying: "
                    + apps
                    + " Applications, "
                    + refs
                    + " deploys each, one after another",
                (System.nanoTime() - from) / 1e9,
                minus(proxy.snapshot(), before),
                passes(healthPort) - passesBefore,
                loadBefore,
                DynamoProcsBench.loadAverage()));
        List<String> installNames =
            store.list(ListQuery.all(BuiltinKinds.INSTALL)).items().stream()
                .map(i -> i.metadata().name())
                .toList();
        int installs = installNames.size();
        if (installs != apps * refs)
          throw new IOException("expected " + apps * refs + " Installs, found " + installNames);
        // The gateway's last passes after the last install ended.
        DynamoProcsBench.park(Duration.ofSeconds(15));

        System.err.println(
            "phase 3: idle, " + installs + " Installs present, " + idleSeconds + " s");
        phases.add(
            idle(
                "idle, "
                    + apps
                    + " Applications, Deployments and Releases, "
                    + installs
                    + " Installs present",
                proxy,
                healthPort,
                idleSeconds));
      }
    } finally {
      if (gateway != null) stopGateway(gateway);
      DynamoProcsBench.stopAll(started);
      Runtime.getRuntime().removeShutdownHook(cleanup);
    }
    print(phases, apps * refs, dir);
  }

  private static Phase idle(String name, CapacityCountingProxy proxy, int healthPort, int seconds)
      throws IOException, InterruptedException {
    double loadBefore = DynamoProcsBench.loadAverage();
    Map<Call, Counts> before = proxy.snapshot();
    long passesBefore = passes(healthPort);
    long from = System.nanoTime();
    DynamoProcsBench.park(Duration.ofSeconds(seconds));
    Map<Call, Counts> after = proxy.snapshot();
    double elapsed = (System.nanoTime() - from) / 1e9;
    return new Phase(
        name,
        elapsed,
        minus(after, before),
        passes(healthPort) - passesBefore,
        loadBefore,
        DynamoProcsBench.loadAverage());
  }

  /** As CI would: N Applications, then M rounds of one deploy of every application. */
  private static void deploy(Store store, int apps, int refs) throws IOException {
    for (int i = 0; i < apps; i++)
      store.apply(
          new Resource(
              null,
              BuiltinKinds.APPLICATION,
              ObjectMeta.named(String.format(Locale.ROOT, "app%03d", i), "default"),
              Json.object().put("project", "p"),
              null));
    Deployer deployer = new Deployer(store, Clock.systemUTC());
    for (int r = 1; r <= refs; r++) {
      DeploySubmission submission =
          deployer.submit(
              DeployRequest.builder()
                  .project("p")
                  .ref("v" + r)
                  .cluster("c1")
                  .timeout(Duration.ofMinutes(5))
                  .build());
      DeployProgress progress;
      while (true) {
        progress = deployer.advance(submission);
        submission = progress.submission();
        if (progress.state().ended()) break;
        // The writer's own polling: once a second keeps its load on DynamoDB Local small.
        DynamoProcsBench.park(Duration.ofSeconds(1));
      }
      if (progress.state() != DeployProgress.State.SUCCEEDED)
        throw new IOException("deploy of v" + r + " ended " + progress.state());
      System.err.printf(Locale.ROOT, "  deploy v%d: %d installs succeeded%n", r, apps);
    }
  }

  private static Process startGateway(Path repo, Path dir, URI endpoint, int healthPort)
      throws IOException {
    // Not in the gateway's working directory: the launcher's first run after a build trains its
    // start-up archive with a few commands that read ./div.yaml and would write into this store.
    Path config = dir.resolve("config").resolve("div.yaml");
    Files.createDirectories(config.getParent());
    Files.writeString(
        config,
        "metadata: {name: gwcost}\nspec:\n  source: \"dynamodb://"
            + PREFIX
            + "?region=us-east-1&endpoint="
            + endpoint
            + "\"\n");
    ProcessBuilder pb =
        new ProcessBuilder(
                repo.resolve("div").toString(),
                "gateway",
                "--cluster",
                "c1",
                "--health-port",
                Integer.toString(healthPort),
                "--state-dir",
                dir.resolve("gateway-state").toString(),
                "--",
                "/bin/sh",
                "-c",
                "echo deployed $DIV_APP at $DIV_REF")
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("gateway.log").toFile());
    Map<String, String> env = pb.environment();
    env.put("DIVISION_HOME", dir.resolve("home").toString());
    env.put("DIV_CONFIG", config.toString());
    env.put("AWS_ACCESS_KEY_ID", DynamoDbLocalServer.ACCESS_KEY_ID);
    env.put("AWS_SECRET_ACCESS_KEY", DynamoDbLocalServer.SECRET_ACCESS_KEY);
    env.put("AWS_REGION", "us-east-1");
    return pb.start();
  }

  /** SIGTERM (a graceful stop), then SIGKILL for it and anything it left. */
  private static void stopGateway(Process gateway) throws InterruptedException {
    List<ProcessHandle> children = gateway.descendants().toList();
    gateway.destroy();
    if (!gateway.waitFor(30, TimeUnit.SECONDS))
      gateway.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    children.forEach(ProcessHandle::destroyForcibly);
  }

  private static void awaitCluster(Store store, Process gateway) throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      if (!gateway.isAlive())
        throw new IOException("the gateway exited " + gateway.exitValue() + "; see gateway.log");
      if (!store.list(ListQuery.all(BuiltinKinds.CLUSTER)).items().isEmpty()) return;
      DynamoProcsBench.park(Duration.ofMillis(500));
    }
    throw new IOException("the gateway did not register its cluster within 120 s");
  }

  /** The gateway's own count of passes that reached the store, from its /metrics. */
  private static long passes(int healthPort) throws IOException, InterruptedException {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + healthPort + "/metrics"))
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    for (String line : r.body().split("\n"))
      if (line.startsWith("division_gateway_passes_total "))
        return Long.parseLong(line.substring(line.indexOf(' ') + 1).trim());
    throw new IOException("no division_gateway_passes_total in the gateway's /metrics");
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static Map<Call, Counts> minus(Map<Call, Counts> after, Map<Call, Counts> before) {
    Map<Call, Counts> out = new TreeMap<>();
    after.forEach((op, c) -> out.put(op, c.minus(before.getOrDefault(op, Counts.NONE))));
    out.values().removeIf(c -> c.calls() == 0);
    return out;
  }

  private static void print(List<Phase> phases, int installs, Path dir) {
    double price = DynamoProcsBench.USD_PER_MILLION_RRU;
    double month = DynamoProcsBench.HOURS_PER_MONTH;
    System.out.println(
        "## gateway-cost: what one `./div gateway` reads from DynamoDB (DynamoDB Local in its own"
            + " process)\n");
    System.out.printf(
        Locale.ROOT,
        "Default heartbeat (5 s); every call of the gateway process counted by a proxy that asks"
            + " DynamoDB Local for ConsumedCapacity; the writer's calls not counted. Cost at $%.3f"
            + " per million read request units (us-east-1 on-demand list price; check it), %.0f"
            + " hours a month. Gateway log: %s%n%n",
        price,
        month,
        dir.resolve("gateway.log"));
    System.out.println(
        "| phase | seconds | load before / after | passes | reads | RRU | RRU per hour | USD per"
            + " month at that rate | writes | WRU (as reported) |");
    System.out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (Phase p : phases) {
      double rru = p.units(CapacityCountingProxy.READS);
      System.out.printf(
          Locale.ROOT,
          "| %s | %.0f | %.1f / %.1f | %d | %d | %.1f | %.0f | %.3f | %d | %.1f |%n",
          p.name(),
          p.seconds(),
          p.loadBefore(),
          p.loadAfter(),
          p.passes(),
          p.calls(CapacityCountingProxy.READS),
          rru,
          p.perHour(rru),
          p.perHour(rru) * month * price / 1e6,
          p.calls(CapacityCountingProxy.WRITES),
          p.units(CapacityCountingProxy.WRITES));
    }
    System.out.println();
    System.out.println(
        "Calls per operation and table (table prefix "
            + PREFIX
            + ". left out; errors are answers"
            + " other than 200, with no capacity reported):\n");
    System.out.println(
        "| phase | operation | tables | calls | errors | capacity units | per hour |");
    System.out.println("| --- | --- | --- | ---: | --- | ---: | ---: |");
    for (Phase p : phases)
      p.byOperation()
          .forEach(
              (call, c) ->
                  System.out.printf(
                      Locale.ROOT,
                      "| %s | %s | %s | %d | %s | %.1f | %.0f |%n",
                      p.name(),
                      call.operation(),
                      call.tables().replace(PREFIX + ".", ""),
                      c.calls(),
                      c.errors() == 0 ? "0" : c.errors() + " " + c.errorTypes(),
                      c.units(),
                      p.perHour(c.units())));
    System.out.println();
    Phase deploying = phases.get(1);
    System.out.printf(
        Locale.ROOT,
        "Deploying: %.1f RRU per install (%d installs).%n",
        deploying.units(CapacityCountingProxy.READS) / installs,
        installs);
    long unreported = phases.stream().mapToLong(Phase::unreported).sum();
    if (unreported > 0)
      System.out.println(
          "\nWarning: "
              + unreported
              + " data calls came back without ConsumedCapacity (not counted).");
    System.out.println();
  }
}
