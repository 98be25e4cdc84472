package io.division.gateway;

import io.division.core.Division;
import io.division.core.deploy.Executor;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Runs one gateway process from its {@link GatewaySettings}: builds the executor, serves health and
 * metrics when asked, and runs the {@link GatewayDaemon} until told to stop. {@code div gateway}
 * and {@link GatewayMain} both end up here.
 */
public final class GatewayRunner {
  private GatewayRunner() {}

  /**
   * Runs until {@code stopWhen} says so (checked every 50 ms); running attempts are then handed
   * back, the lease given up.
   */
  public static void run(
      GatewaySettings settings,
      Division division,
      Consumer<String> events,
      BooleanSupplier stopWhen)
      throws InterruptedException, IOException {
    Executor executor = executor(settings, division.config().home());
    GatewayDaemon daemon =
        GatewayDaemon.builder()
            .store(division.store())
            .options(settings.options())
            .executor(executor)
            .events(events)
            .clock(Clock.systemUTC())
            .build();
    HealthServer health = null;
    try {
      if (settings.healthPort() >= 0) {
        health = HealthServer.forGateway(daemon, settings.healthAddress(), settings.healthPort());
        events.accept(
            "serving /healthz and /metrics on " + settings.healthAddress() + ":" + health.port());
      }
      daemon.run(stopWhen);
    } finally {
      if (health != null) health.close();
    }
  }

  /** The executor the settings name; what it runs comes only from the settings. */
  static Executor executor(GatewaySettings settings, Path divisionHome) {
    return switch (settings.executor()) {
      case process ->
          ProcessExecutor.builder()
              .command(settings.command())
              .workingDir(
                  settings.workingDir() != null
                      ? settings.workingDir()
                      : Path.of("").toAbsolutePath())
              .stateDir(
                  settings.stateDir() != null
                      ? settings.stateDir()
                      : divisionHome.resolve("gateway").resolve(settings.options().cluster()))
              .build();
      case kubernetes -> Executors.kubernetes(settings.jobTemplate());
      case brigade ->
          Executors.brigade(
              settings.brigadeNamespace(), settings.brigadeScript(), settings.brigadeProject());
    };
  }
}
