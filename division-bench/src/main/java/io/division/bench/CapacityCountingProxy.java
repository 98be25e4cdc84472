package io.division.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;
import java.util.zip.GZIPInputStream;

/**
 * An HTTP proxy on 127.0.0.1 between one client process and DynamoDB Local that counts what that
 * process asks DynamoDB for: calls per operation, and the capacity units DynamoDB Local reports as
 * consumed. It adds {@code ReturnConsumedCapacity: TOTAL} to every data call that does not ask for
 * it already, so the count covers every read and write of a process we cannot change (a real {@code
 * ./div gateway}), with no counter in the store's code. This works because DynamoDB Local does not
 * check request signatures (the signature covers the body we change); the client's SDK checks the
 * response's CRC32, and responses pass through unchanged.
 */
final class CapacityCountingProxy implements AutoCloseable {
  /** Operations billed in read request units. */
  static final Set<String> READS =
      Set.of("GetItem", "BatchGetItem", "Query", "Scan", "TransactGetItems");

  /** Operations billed in write request units. */
  static final Set<String> WRITES =
      Set.of("PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems");

  private static final Set<String> NOT_FORWARDED =
      Set.of("host", "content-length", "connection", "expect", "upgrade", "transfer-encoding");

  private static final ObjectMapper JSON = new ObjectMapper();

  /** What the counts are kept by: the operation and the tables it names (sorted, comma-joined). */
  record Call(String operation, String tables) implements Comparable<Call> {
    @Override
    public int compareTo(Call o) {
      int c = operation.compareTo(o.operation);
      return c != 0 ? c : tables.compareTo(o.tables);
    }
  }

  /** One call's totals; units are thousandths of a capacity unit. */
  record Counts(
      long calls, long errors, long milliUnits, long unreported, Map<String, Long> errorTypes) {
    static final Counts NONE = new Counts(0, 0, 0, 0, Map.of());

    Counts {
      errorTypes = Map.copyOf(errorTypes);
    }

    Counts minus(Counts before) {
      Map<String, Long> types = new TreeMap<>(errorTypes);
      before.errorTypes.forEach((t, n) -> types.merge(t, -n, Long::sum));
      types.values().removeIf(n -> n == 0);
      return new Counts(
          calls - before.calls,
          errors - before.errors,
          milliUnits - before.milliUnits,
          unreported - before.unreported,
          types);
    }

    double units() {
      return milliUnits / 1000.0;
    }
  }

  private static final class Counter {
    final LongAdder calls = new LongAdder();
    final LongAdder errors = new LongAdder();
    final LongAdder milliUnits = new LongAdder();
    final LongAdder unreported = new LongAdder();
    final Map<String, LongAdder> errorTypes = new ConcurrentHashMap<>();

    Counts counts() {
      Map<String, Long> types = new TreeMap<>();
      errorTypes.forEach((t, n) -> types.put(t, n.sum()));
      return new Counts(calls.sum(), errors.sum(), milliUnits.sum(), unreported.sum(), types);
    }
  }

  private final Map<Call, Counter> counters = new ConcurrentHashMap<>();
  private final HttpServer server;
  private final ExecutorService pool = Executors.newFixedThreadPool(4);
  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();
  private final URI target;

  private CapacityCountingProxy(URI target) throws IOException {
    this.target = target;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::forward);
    server.setExecutor(pool);
    server.start();
  }

  /** A proxy forwarding to {@code target} (DynamoDB Local's endpoint). */
  static CapacityCountingProxy start(URI target) throws IOException {
    return new CapacityCountingProxy(target);
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** The totals so far, per operation and tables. */
  Map<Call, Counts> snapshot() {
    Map<Call, Counts> out = new TreeMap<>();
    counters.forEach((op, c) -> out.put(op, c.counts()));
    return out;
  }

  private void forward(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      String amzTarget = exchange.getRequestHeaders().getFirst("X-Amz-Target");
      String op =
          amzTarget == null ? "(none)" : amzTarget.substring(amzTarget.lastIndexOf('.') + 1);
      boolean data = READS.contains(op) || WRITES.contains(op);
      JsonNode parsed = body.length == 0 ? null : JSON.readTree(body);
      Call call = new Call(op, tables(parsed));
      if (data && parsed instanceof ObjectNode object && !object.has("ReturnConsumedCapacity")) {
        object.put("ReturnConsumedCapacity", "TOTAL");
        body = JSON.writeValueAsBytes(object);
      }
      HttpRequest.Builder request =
          HttpRequest.newBuilder(target.resolve(exchange.getRequestURI().toString()))
              .timeout(Duration.ofSeconds(60))
              .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
      exchange
          .getRequestHeaders()
          .forEach(
              (name, values) -> {
                if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT)))
                  values.forEach(v -> request.header(name, v));
              });
      HttpResponse<byte[]> response;
      try {
        response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        exchange.sendResponseHeaders(502, -1);
        return;
      }
      Counter counter = counters.computeIfAbsent(call, k -> new Counter());
      counter.calls.increment();
      if (response.statusCode() != 200) {
        counter.errors.increment();
        counter.errorTypes.computeIfAbsent(errorType(response), k -> new LongAdder()).increment();
      } else if (data) {
        count(counter, response);
      }
      response
          .headers()
          .map()
          .forEach(
              (name, values) -> {
                if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":"))
                  exchange.getResponseHeaders().put(name, List.copyOf(values));
              });
      byte[] answer = response.body();
      exchange.sendResponseHeaders(response.statusCode(), answer.length == 0 ? -1 : answer.length);
      if (answer.length > 0) exchange.getResponseBody().write(answer);
    }
  }

  /** TableName, or the tables of a batch (RequestItems) or transaction (TransactItems). */
  private static String tables(JsonNode request) {
    if (request == null) return "";
    Set<String> names = new TreeSet<>();
    if (request.hasNonNull("TableName")) names.add(request.get("TableName").asText());
    request.path("RequestItems").fieldNames().forEachRemaining(names::add);
    for (JsonNode item : request.path("TransactItems"))
      item.elements().forEachRemaining(action -> names.add(action.path("TableName").asText()));
    return String.join(",", names);
  }

  /** DynamoDB's error type ("ResourceNotFoundException"), or the HTTP status. */
  private static String errorType(HttpResponse<byte[]> response) {
    try {
      String type = body(response).path("__type").asText("");
      if (!type.isEmpty()) return type.substring(type.lastIndexOf('#') + 1);
    } catch (IOException e) {
      // not JSON: fall through to the status
    }
    return "HTTP " + response.statusCode();
  }

  private static JsonNode body(HttpResponse<byte[]> response) throws IOException {
    InputStream in = new ByteArrayInputStream(response.body());
    if (response.headers().firstValue("Content-Encoding").orElse("").equalsIgnoreCase("gzip"))
      in = new GZIPInputStream(in);
    return JSON.readTree(in);
  }

  private static void count(Counter counter, HttpResponse<byte[]> response) throws IOException {
    JsonNode capacity = body(response).path("ConsumedCapacity");
    if (capacity.isMissingNode() || capacity.isNull()) {
      counter.unreported.increment();
      return;
    }
    // One object for single-table calls, an array (one per table) for batches and transactions.
    for (JsonNode c : capacity.isArray() ? capacity : List.of(capacity))
      counter.milliUnits.add(Math.round(c.path("CapacityUnits").asDouble() * 1000));
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }
}
