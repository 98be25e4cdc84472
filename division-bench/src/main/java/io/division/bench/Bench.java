package io.division.bench;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The bench harness behind docs/benchmarks.md: {@code scripts/bench SUITE...} with suites store,
 * cli, watch, logs, wait, deploy, scale, dynamodb, waits (or all), and dynamodb-procs (not part of
 * all: it starts up to 50 JVMs and takes about 15 minutes), and gateway-cost (not part of all: a
 * real {@code ./div gateway} on DynamoDB Local for about 10 minutes). Figures go to stdout as
 * Markdown. Not a test: nothing here runs during the build.
 */
public final class Bench {
  private Bench() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      System.err.println(
          "usage: Bench store|cli|watch|logs|wait|deploy|scale|dynamodb|waits|all|dynamodb-procs"
              + "|gateway-cost ...");
      System.exit(2);
    }
    switch (args[0]) {
      case "watch-child" -> {
        WatchLogBench.watchChild(Path.of(args[1]), Integer.parseInt(args[2]));
        return;
      }
      case "logs-child" -> {
        WatchLogBench.logsChild(Path.of(args[1]), Integer.parseInt(args[2]), false);
        return;
      }
      case "logs-latency-child" -> {
        WatchLogBench.logsChild(Path.of(args[1]), Integer.parseInt(args[2]), true);
        return;
      }
      case "scale-child" -> {
        DeployBench.scaleChild(Path.of(args[1]), Integer.parseInt(args[2]));
        return;
      }
      case "ddb-local-child" -> {
        DynamoProcsBench.localChild();
        return;
      }
      case "ddb-writer-child" -> {
        DynamoProcsBench.writerChild(
            args[1], args[2], Integer.parseInt(args[3]), Long.parseLong(args[4]));
        return;
      }
      case "ddb-watcher-child" -> {
        DynamoProcsBench.watcherChild(args[1], args[2], args[3]);
        return;
      }
      case "ddb-waits-child" -> {
        DynamoProcsBench.waitsChild(
            args[1], args[2], args[3], Integer.parseInt(args[4]), Integer.parseInt(args[5]));
        return;
      }
      default -> {}
    }
    Path repo = Path.of(System.getProperty("division.repo", ".")).toAbsolutePath().normalize();
    Path work = Files.createTempDirectory("division-bench");
    System.out.printf(
        "Machine: %d cores, Java %s (%s); load average before: %.2f%n%n",
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"),
        System.getProperty("java.vm.name"),
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    for (String suite : args) {
      boolean all = suite.equals("all");
      if (all || suite.equals("store")) StoreBench.run(work, 3);
      if (all || suite.equals("cli")) CliBench.startup(repo, work, 30);
      if (all || suite.equals("watch")) WatchLogBench.watch(work, 500, 50);
      if (all || suite.equals("logs")) WatchLogBench.logs(work, 500_000, 2000, 1000);
      if (all || suite.equals("wait")) CliBench.waitReaction(repo, work, 20);
      if (all || suite.equals("deploy")) DeployBench.overhead(repo, work, 30);
      if (all || suite.equals("scale")) DeployBench.gatewayScale(work, 1000);
      if (all || suite.equals("dynamodb")) DynamoBench.run(work, 2000);
      if (all || suite.equals("waits")) WaitsBench.run(work, 50, 500);
      if (suite.equals("dynamodb-procs")) {
        // BENCH_PROCS_WATCHERS=1,10 BENCH_PROCS_WAITS=0 BENCH_PROCS_WRITES=10 BENCH_PROCS_IDLE=5
        // make a short trial run; BENCH_PROCS_ORDER=adaptive,fixed swaps the rounds of a pair.
        DynamoProcsBench.run(
            java.util.Arrays.stream(env("BENCH_PROCS_WATCHERS", "1,10,50").split(","))
                .mapToInt(Integer::parseInt)
                .toArray(),
            java.util.List.of(env("BENCH_PROCS_ORDER", "fixed,adaptive").split(",")),
            Integer.parseInt(env("BENCH_PROCS_WAITS", "500")),
            Integer.parseInt(env("BENCH_PROCS_WRITES", "40")),
            Integer.parseInt(env("BENCH_PROCS_IDLE", "30")));
      }
      if (suite.equals("gateway-cost")) {
        // BENCH_GW_IDLE=20 BENCH_GW_APPS=5 BENCH_GW_REFS=2 make a short trial run.
        GatewayCostBench.run(
            repo,
            work,
            Integer.parseInt(env("BENCH_GW_IDLE", "120")),
            Integer.parseInt(env("BENCH_GW_APPS", "50")),
            Integer.parseInt(env("BENCH_GW_REFS", "4")));
      }
    }
  }

  private static String env(String name, String otherwise) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? otherwise : value;
  }
}
