package io.division.cli;

import io.division.core.config.DivConfig;
import io.division.core.model.Json;
import io.division.core.store.sqlite.SqliteBackend;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * A call that will read the embedded store spends a good part of its life loading SQLite's native
 * library and setting up the driver, and initialising Jackson's parser; the main thread meanwhile
 * builds picocli's model and parses the arguments. None of these needs another, so the store's part
 * and the parser's start on two threads of their own (they take about as long) as soon as the
 * command's name is known, and the store opens later without waiting for them (or waits for what is
 * left).
 *
 * <p>Only side-effect-free set-up runs ahead: nothing is opened or created but the native library's
 * cache, which the store's open would fill all the same. It runs only when no configuration file is
 * in play (the default embedded store), so a DynamoDB user's call does none of it. Errors are left
 * to the store's own open, which does the same work again and reports what fails.
 */
final class StoreWarmup {
  private static final Set<String> STORE_COMMANDS =
      Set.of(
          "get",
          "describe",
          "apply",
          "diff",
          "delete",
          "patch",
          "wait",
          "logs",
          "approve",
          "reject",
          "approvals",
          "deploy",
          "__complete");

  private StoreWarmup() {}

  static void startIfUseful(String command, String[] args, Map<String, String> env) {
    if (command == null || !STORE_COMMANDS.contains(command)) return;
    for (String a : args) if (a.equals("--config") || a.startsWith("--config=")) return;
    if (DivConfig.locate(null, env, Path.of("").toAbsolutePath()).file() != null) return;
    Path cache = DivConfig.home(env).resolve("cache");
    start(
        "div-store-warmup",
        () -> {
          SqliteBackend.preload(cache);
          StartupTrace.mark("store warm-up done (second thread)");
        });
    // Jackson's parser initialises BigDecimal, whose static initialiser on Java 25 squares its way
    // to 5^65536 (a table for stripTrailingZeros): 20-50 ms in a JVM that has compiled nothing yet.
    start(
        "div-json-warmup",
        () -> {
          Json.parse("{\"warm\":[1]}");
          StartupTrace.mark("JSON warm-up done (third thread)");
        });
  }

  private static void start(String name, Runnable work) {
    Thread thread = new Thread(work, name);
    thread.setDaemon(true);
    thread.start();
  }
}
