package io.division.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.division.core.deploy.Gateway;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * {@code /healthz} (200 while the gateway reaches the store, 503 once it has not for three
 * heartbeats, so Kubernetes restarts a wedged gateway) and {@code /metrics} in Prometheus' text
 * format. The JDK's own HTTP server: nothing more is needed for two read-only endpoints.
 */
public final class HealthServer implements AutoCloseable {
  private final HttpServer server;

  public HealthServer(Gateway gateway, String address, int port) throws IOException {
    server = HttpServer.create(new InetSocketAddress(address, port), 0);
    Duration unhealthyAfter = gateway.options().heartbeatEvery().multipliedBy(3).plusSeconds(10);
    server.createContext(
        "/healthz",
        ex -> {
          boolean ok = gateway.sinceLastPass().compareTo(unhealthyAfter) < 0;
          reply(
              ex,
              ok ? 200 : 503,
              ok
                  ? "ok\n"
                  : "no store round-trip for " + gateway.sinceLastPass().toSeconds() + "s\n");
        });
    server.createContext(
        "/metrics",
        ex ->
            reply(
                ex,
                200,
                "# HELP division_gateway_passes_total Reconcile passes that reached the store.\n"
                    + "# TYPE division_gateway_passes_total counter\n"
                    + "division_gateway_passes_total "
                    + gateway.passes()
                    + "\n"
                    + "# HELP division_gateway_store_errors_total Passes that failed to reach the store.\n"
                    + "# TYPE division_gateway_store_errors_total counter\n"
                    + "division_gateway_store_errors_total "
                    + gateway.storeErrors()
                    + "\n"
                    + "# HELP division_gateway_leader Whether this gateway holds its cluster's lease.\n"
                    + "# TYPE division_gateway_leader gauge\n"
                    + "division_gateway_leader "
                    + (gateway.leading() ? 1 : 0)
                    + "\n"
                    + "# HELP division_gateway_seconds_since_last_pass Seconds since the last pass that reached the store.\n"
                    + "# TYPE division_gateway_seconds_since_last_pass gauge\n"
                    + "division_gateway_seconds_since_last_pass "
                    + gateway.sinceLastPass().toMillis() / 1000.0
                    + "\n"));
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void reply(HttpExchange ex, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
