package io.division.jenkins;

import static org.awaitility.Awaitility.await;

import io.division.core.deploy.GatewayOptions;
import io.division.core.kind.BuiltinKinds;
import io.division.core.model.ResourceKey;
import io.division.core.store.Store;
import io.division.gateway.GatewayDaemon;
import io.division.gateway.ProcessExecutor;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Real gateways for the deploy tests, one per cluster, each running installs with the process
 * executor and the repository's examples/deploy.sh (which fails refs starting with "broken"), as a
 * cluster admin would configure them. Every gateway started here is stopped by {@link #close()}.
 */
final class TestGateways implements AutoCloseable {
  static final Path REPO = Path.of(System.getProperty("division.repo", "../..")).toAbsolutePath();
  static final Path DEPLOY_SCRIPT = REPO.resolve("examples/deploy.sh").normalize();

  private final Store store;
  private final Path workDir;
  private final AtomicBoolean stop = new AtomicBoolean();
  private final List<Thread> threads = new CopyOnWriteArrayList<>();

  TestGateways(Store store, Path workDir) {
    this.store = store;
    this.workDir = workDir;
  }

  void start(String cluster) {
    Thread t =
        new Thread(
            () -> {
              try {
                GatewayDaemon.builder()
                    .store(store)
                    .options(GatewayOptions.of(cluster))
                    .executor(
                        ProcessExecutor.builder()
                            .command(List.of("/bin/sh", DEPLOY_SCRIPT.toString()))
                            .workingDir(workDir)
                            .stateDir(workDir.resolve("gateway-state-" + cluster))
                            .build())
                    .clock(Clock.systemUTC())
                    .build()
                    .run(stop::get);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "gateway-" + cluster);
    t.setDaemon(true);
    t.start();
    threads.add(t);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> store.find(new ResourceKey(BuiltinKinds.CLUSTER, "", cluster)).isPresent());
  }

  @Override
  public void close() throws InterruptedException {
    stop.set(true);
    for (Thread t : threads) t.join(20_000);
  }
}
