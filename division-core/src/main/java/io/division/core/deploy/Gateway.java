package io.division.core.deploy;

import io.division.core.store.Store;
import io.division.core.store.StoreException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The gateway's loop: reconcile whenever the store changes (woken by its change signal, not by
 * polling hot), at least every resync interval, and often enough to see running attempts finish.
 * Store outages are retried with jittered exponential backoff; they never end the gateway.
 */
public final class Gateway {
  public static final String VERSION = versionOf();

  private static final Duration MIN_PASS_INTERVAL = Duration.ofMillis(20);
  private static final Duration ACTIVE_POLL = Duration.ofMillis(100);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  private final Store store;
  private final GatewayOptions options;
  private final Executor executor;
  private final Consumer<String> events;
  private final Clock clock;
  private volatile long lastPassNanos = System.nanoTime();
  private volatile boolean leading;
  private final java.util.concurrent.atomic.AtomicLong passes =
      new java.util.concurrent.atomic.AtomicLong();
  private final java.util.concurrent.atomic.AtomicLong storeErrors =
      new java.util.concurrent.atomic.AtomicLong();

  /** For health checks and metrics: how long since the last pass that reached the store. */
  public Duration sinceLastPass() {
    return Duration.ofNanos(System.nanoTime() - lastPassNanos);
  }

  public boolean leading() {
    return leading;
  }

  public long passes() {
    return passes.get();
  }

  public long storeErrors() {
    return storeErrors.get();
  }

  public GatewayOptions options() {
    return options;
  }

  public Gateway(
      Store store,
      GatewayOptions options,
      Executor executor,
      Consumer<String> events,
      Clock clock) {
    this.store = store;
    this.options = options;
    this.executor = executor;
    this.events = events;
    this.clock = clock;
  }

  /**
   * Runs until {@code stop} says so; running attempts are then stopped and handed back as Pending.
   */
  public void run(BooleanSupplier stop) throws InterruptedException {
    try (Reconciler reconciler = new Reconciler(store, options, executor, clock)) {
      events.accept(
          "gateway "
              + reconciler.gatewayId()
              + " serving cluster "
              + options.cluster()
              + " with the "
              + executor.name()
              + " executor");
      long nextHeartbeat = 0;
      boolean leader = false;
      long nextResync = 0;
      Duration backoff = Duration.ofMillis(200);
      while (!stop.getAsBoolean()) {
        long mark = store.changeMark();
        long passStarted = System.nanoTime();
        try {
          if (passStarted >= nextHeartbeat) {
            boolean wasLeader = leader;
            leader = reconciler.heartbeat();
            if (leader != wasLeader)
              events.accept(
                  leader
                      ? "holding the lease of cluster " + options.cluster()
                      : "standing by: another gateway holds the lease of cluster "
                          + options.cluster());
            nextHeartbeat = passStarted + options.heartbeatEvery().toNanos();
          }
          if (leader) {
            reconciler.reconcileDeployments();
            reconciler.reconcileInstalls();
          }
          leading = leader;
          lastPassNanos = System.nanoTime();
          passes.incrementAndGet();
          backoff = Duration.ofMillis(200);
        } catch (StoreException e) {
          if (e.is(StoreException.Reason.CONFLICT)
              || e.is(StoreException.Reason.ALREADY_EXISTS)
              || e.is(StoreException.Reason.NOT_FOUND)) {
            // A race another writer won (or a resource deleted under us): look again shortly.
            sleepUnless(stop, Duration.ofMillis(50));
            continue;
          }
          storeErrors.incrementAndGet();
          Duration pause =
              backoff.plusMillis(ThreadLocalRandom.current().nextLong(backoff.toMillis() + 1));
          events.accept(
              "store unavailable ("
                  + e.getMessage()
                  + "); retrying in "
                  + pause.toMillis()
                  + " ms");
          sleepUnless(stop, pause);
          backoff =
              backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0
                  ? MAX_BACKOFF
                  : backoff.multipliedBy(2);
          continue;
        }
        if (passStarted >= nextResync) nextResync = passStarted + options.resyncEvery().toNanos();
        // Our own writes and log lines move the mark too: a short floor keeps a busy store from
        // turning into back-to-back passes.
        long since = System.nanoTime() - passStarted;
        if (since < MIN_PASS_INTERVAL.toNanos())
          Thread.sleep(Duration.ofNanos(MIN_PASS_INTERVAL.toNanos() - since).toMillis());
        long due = Math.min(nextResync, nextHeartbeat);
        if (reconciler.activeCount() > 0) due = Math.min(due, passStarted + ACTIVE_POLL.toNanos());
        while (!stop.getAsBoolean() && store.changeMark() == mark) {
          long left = due - System.nanoTime();
          if (left <= 0) break;
          store.awaitChange(mark, Duration.ofNanos(left));
        }
      }
      events.accept("gateway stopping");
    }
  }

  private static void sleepUnless(BooleanSupplier stop, Duration pause)
      throws InterruptedException {
    long end = System.nanoTime() + pause.toNanos();
    while (!stop.getAsBoolean() && System.nanoTime() < end)
      Thread.sleep(Math.min(100, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
  }

  private static String versionOf() {
    String v = Gateway.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
