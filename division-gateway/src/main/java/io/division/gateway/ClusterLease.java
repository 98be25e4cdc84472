package io.division.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.division.core.deploy.GatewayOptions;
import io.division.core.deploy.Lease;
import io.division.core.kind.BuiltinKinds;
import io.division.core.model.Json;
import io.division.core.model.Messages;
import io.division.core.model.ObjectMeta;
import io.division.core.model.Resource;
import io.division.core.model.ResourceKey;
import io.division.core.store.Store;
import io.division.core.store.StoreException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The lease of one cluster, kept in its {@code Cluster} resource: {@code status.leader} (a gateway
 * id), {@code status.leaseUntil} and {@code status.leaseGeneration}, which grows by one each time
 * the lease changes hands. One gateway per cluster reconciles at a time; the others stand by and
 * take over once the lease has run out.
 *
 * <p>The holder's own view ({@link #held()}) runs on its monotonic clock from the moment it
 * <em>sent</em> its last successful renewal, less a margin for clock skew between hosts: a gateway
 * that was paused (SIGSTOP, a long GC) past its lease knows it as soon as it runs again, before it
 * writes anything, because its successor can only have taken over after the lease ran out by the
 * wall clock.
 */
public final class ClusterLease implements Lease {
  private final Store store;
  private final GatewayOptions options;
  private final String executorName;
  private final Clock clock;
  private final Consumer<String> events;
  private final String holder;
  private final ResourceKey key;
  private final Duration margin;
  private volatile long validUntilNanos = System.nanoTime();
  private volatile boolean leader;
  private volatile long generation;

  public ClusterLease(
      Store store,
      GatewayOptions options,
      String executorName,
      Clock clock,
      Consumer<String> events) {
    this.store = store;
    this.options = options;
    this.executorName = executorName;
    this.clock = clock;
    this.events = events;
    this.holder =
        options.cluster()
            + "-"
            + ProcessHandle.current().pid()
            + "-"
            + UUID.randomUUID().toString().substring(0, 8);
    this.key = new ResourceKey(BuiltinKinds.CLUSTER, "", options.cluster());
    // A third of the lease, at most two seconds: room for skew between two gateways' clocks.
    Duration third = options.leaseDuration().dividedBy(3);
    this.margin = third.compareTo(Duration.ofSeconds(2)) < 0 ? third : Duration.ofSeconds(2);
  }

  @Override
  public String holder() {
    return holder;
  }

  @Override
  public boolean held() {
    return leader && System.nanoTime() - validUntilNanos < 0;
  }

  /** Who held the lease at the last renewal this gateway made (itself or another); null before. */
  public String lastSeenHolder() {
    return lastSeenHolder;
  }

  /** The generation of the lease this gateway holds or last held (0: never). */
  @Override
  public long generation() {
    return generation;
  }

  /**
   * Registers the cluster, proves this gateway alive, and takes or renews the lease when it is free
   * or already ours. Returns whether this gateway holds it now.
   */
  private volatile String lastSeenHolder;

  public boolean renew() {
    long sentAt = System.nanoTime();
    Instant now = Instant.now(clock);
    ObjectNode heartbeat =
        Json.object()
            .put("lastHeartbeat", stamp(now))
            .put("executor", executorName)
            .put("leader", holder)
            .put("leaseUntil", stamp(now.plus(options.leaseDuration())))
            .put("version", GatewayDaemon.VERSION);
    if (store.find(key).isEmpty()) {
      try {
        store.create(
            new Resource(
                null,
                BuiltinKinds.CLUSTER,
                ObjectMeta.named(options.cluster(), ""),
                Json.object(),
                heartbeat.deepCopy().put("leaseGeneration", 1)));
        lastSeenHolder = holder;
        return acquired(sentAt, 1);
      } catch (StoreException e) {
        if (!e.is(StoreException.Reason.ALREADY_EXISTS)) throw e;
      }
    }
    Resource after =
        store.modify(
            key,
            c -> {
              ObjectNode status =
                  c.status() != null && c.status().isObject()
                      ? ((ObjectNode) c.status()).deepCopy()
                      : Json.object();
              String leaderNow = text(status.get("leader"));
              long gen = generationOf(status.get("leaseGeneration"));
              if (holder.equals(leaderNow)) {
                status.setAll(heartbeat);
                return c.withStatus(status);
              }
              if (leaderNow != null && !expired(status.get("leaseUntil"), now)) return c;
              status.setAll(heartbeat);
              status.put("leaseGeneration", gen + 1);
              return c.withStatus(status);
            });
    JsonNode status = after.status() == null ? Json.object() : after.status();
    lastSeenHolder = text(status.get("leader"));
    if (holder.equals(text(status.get("leader"))))
      return acquired(sentAt, generationOf(status.get("leaseGeneration")));
    leader = false;
    return false;
  }

  private boolean acquired(long sentAt, long gen) {
    validUntilNanos = sentAt + options.leaseDuration().minus(margin).toNanos();
    generation = gen;
    leader = true;
    return true;
  }

  /** Gives the lease up at once, so a successor need not wait for it to run out. */
  public void release() {
    leader = false;
    store.modify(
        key,
        c -> {
          if (c.status() == null
              || !c.status().isObject()
              || !holder.equals(text(c.status().get("leader")))) return c;
          return c.withStatus(
              ((ObjectNode) c.status()).deepCopy().put("leaseUntil", stamp(Instant.now(clock))));
        });
  }

  /**
   * A lease whose end cannot be read has no end a successor could wait for: it is treated as run
   * out, and said so, rather than letting a malformed Cluster stop the gateway.
   */
  private boolean expired(JsonNode leaseUntil, Instant now) {
    String text = text(leaseUntil);
    if (text == null) return true;
    try {
      return !Instant.parse(text).isAfter(now);
    } catch (DateTimeParseException e) {
      events.accept(
          "cluster "
              + options.cluster()
              + ": status.leaseUntil is not a timestamp ("
              + Messages.quote(text)
              + "); treating the lease as run out");
      return true;
    }
  }

  private static long generationOf(JsonNode n) {
    return n != null && n.canConvertToLong() && n.asLong() >= 0 ? n.asLong() : 0;
  }

  private static String text(JsonNode n) {
    return n == null || n.isNull() || !n.isValueNode() ? null : n.asText();
  }

  private static String stamp(Instant t) {
    return t.truncatedTo(ChronoUnit.MILLIS).toString();
  }
}
