package io.division.gateway;

import io.division.gateway.HealthServer.Response;
import java.time.Duration;

/** What the gateway's probe and metrics endpoints answer, from the daemon's own counters. */
final class GatewayProbes {
  private GatewayProbes() {}

  /** Unhealthy once no pass has reached the store for three heartbeats and ten seconds. */
  static Response health(GatewayDaemon gateway) {
    Duration unhealthyAfter = gateway.options().leaseDuration().plusSeconds(10);
    Duration since = gateway.sinceLastPass();
    return since.compareTo(unhealthyAfter) < 0
        ? Response.text(200, "ok\n")
        : Response.text(503, "no store round-trip for " + since.toSeconds() + "s\n");
  }

  /**
   * Ready once a pass has reached the store and while it still does, as leader or standby alike (a
   * standby is ready to take over; the body says which it is).
   */
  static Response ready(GatewayDaemon gateway) {
    if (!gateway.reachedStore()) return Response.text(503, "the store has not answered yet\n");
    Response health = health(gateway);
    if (health.status() != 200) return health;
    return Response.text(200, (gateway.leading() ? "leader" : "standby") + "\n");
  }

  static Response metrics(GatewayDaemon gateway) {
    StringBuilder out = new StringBuilder();
    metric(
        out,
        "division_gateway_passes_total",
        "counter",
        "Reconcile passes that reached the store.",
        gateway.passes());
    metric(
        out,
        "division_gateway_store_errors_total",
        "counter",
        "Passes that failed to reach the store.",
        gateway.storeErrors());
    metric(
        out,
        "division_gateway_pass_errors_total",
        "counter",
        "Passes that ended with another error (reported in the gateway log).",
        gateway.passErrors());
    metric(
        out,
        "division_gateway_leader",
        "gauge",
        "Whether this gateway holds its cluster's lease.",
        gateway.leading() ? 1 : 0);
    metric(
        out,
        "division_gateway_seconds_since_last_pass",
        "gauge",
        "Seconds since the last pass that reached the store.",
        gateway.sinceLastPass().toMillis() / 1000.0);
    String holder = gateway.leaseHolder();
    out.append("# HELP division_gateway_lease_holder The gateway holding the cluster's lease,")
        .append(" as this gateway last saw it.\n");
    out.append("# TYPE division_gateway_lease_holder gauge\n");
    if (holder != null)
      out.append("division_gateway_lease_holder{cluster=\"")
          .append(label(gateway.options().cluster()))
          .append("\",holder=\"")
          .append(label(holder))
          .append("\",self=\"")
          .append(holder.equals(gateway.gatewayId()))
          .append("\"} 1\n");
    gateway.metrics().write(out);
    return new Response(200, "text/plain; version=0.0.4; charset=utf-8", out.toString());
  }

  /** A label value in the text format: backslash, quote and newline escaped. */
  static String label(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  private static void metric(
      StringBuilder out, String name, String type, String help, Object value) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    out.append(name).append(' ').append(value).append('\n');
  }
}
