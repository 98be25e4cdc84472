package io.division.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A minimal HTTP/1.1 server for probes and metrics: {@code GET} and {@code HEAD} on exact paths
 * only (405 for other methods, 404 for other paths), one request per connection, served on a small
 * pool. Each request must arrive within a short deadline, and its head is bounded in size, so a
 * stalled or slow client holds one pool thread for that long at most and never the probes of
 * others; when every thread is busy a new connection is answered 503 at once rather than queued
 * behind it. Binds the loopback address unless told otherwise.
 *
 * <p>Endpoints are added with {@link Builder#endpoint}; {@link #forGateway} gives the gateway's.
 */
public final class HealthServer implements AutoCloseable {
  private static final int MAX_HEAD_BYTES = 8192;

  /** What an endpoint answers. */
  public record Response(int status, String contentType, String body) {
    public Response {
      Objects.requireNonNull(contentType, "contentType");
      body = body == null ? "" : body;
    }

    public static Response text(int status, String body) {
      return new Response(status, "text/plain; charset=utf-8", body);
    }
  }

  private final ServerSocket socket;
  private final Map<String, Supplier<Response>> endpoints;
  private final Duration requestDeadline;
  private final ThreadPoolExecutor pool;
  private final Thread acceptor;
  private volatile boolean closed;

  private HealthServer(Builder b) throws IOException {
    this.endpoints = Map.copyOf(b.endpoints);
    this.requestDeadline = b.requestDeadline;
    this.socket = new ServerSocket();
    socket.setReuseAddress(true);
    socket.bind(new InetSocketAddress(InetAddress.getByName(b.address), b.port), 50);
    AtomicInteger n = new AtomicInteger();
    this.pool =
        new ThreadPoolExecutor(
            b.threads,
            b.threads,
            30,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            r -> {
              Thread t = new Thread(r, "div-health-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    this.acceptor = new Thread(this::acceptLoop, "div-health-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The gateway's endpoints: {@code /healthz} (200 while the gateway reaches the store, 503 once it
   * has not for three heartbeats and ten seconds, so Kubernetes restarts a wedged gateway) and
   * {@code /metrics} in Prometheus' text format.
   */
  public static HealthServer forGateway(GatewayDaemon gateway, String address, int port)
      throws IOException {
    return builder()
        .address(address)
        .port(port)
        .endpoint("/healthz", () -> GatewayProbes.health(gateway))
        .endpoint("/readyz", () -> GatewayProbes.ready(gateway))
        .endpoint("/metrics", () -> GatewayProbes.metrics(gateway))
        .build();
  }

  public int port() {
    return socket.getLocalPort();
  }

  /** The address it listens on. */
  public InetAddress address() {
    return socket.getInetAddress();
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = socket.accept();
      } catch (IOException e) {
        if (closed) return;
        continue;
      }
      try {
        pool.execute(() -> serve(client));
      } catch (RejectedExecutionException e) {
        refuse(client);
      }
    }
  }

  /** Every thread is busy (with stalled clients, most likely): say so now, never queue. */
  private static void refuse(Socket client) {
    try (client) {
      client.setSoTimeout(1000);
      write(client.getOutputStream(), Response.text(503, "busy\n"), true);
    } catch (IOException e) {
      // the client is gone
    }
  }

  private void serve(Socket client) {
    try (client) {
      long deadline = System.nanoTime() + requestDeadline.toNanos();
      String head = readHead(client, deadline);
      if (head == null) return; // too slow, too big or gone: nothing is owed
      String requestLine =
          head.substring(0, head.indexOf("\r\n") < 0 ? head.length() : head.indexOf("\r\n"));
      String[] parts = requestLine.split(" ");
      OutputStream out = client.getOutputStream();
      if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
        write(out, Response.text(400, "bad request\n"), false);
        return;
      }
      boolean headOnly = parts[0].equals("HEAD");
      if (!parts[0].equals("GET") && !headOnly) {
        write(out, Response.text(405, "only GET and HEAD\n"), false, "Allow: GET, HEAD");
        return;
      }
      String target = parts[1];
      int query = target.indexOf('?');
      Supplier<Response> endpoint = endpoints.get(query < 0 ? target : target.substring(0, query));
      Response response;
      if (endpoint == null) response = Response.text(404, "not found\n");
      else {
        try {
          response = endpoint.get();
        } catch (RuntimeException e) {
          response = Response.text(500, "error: " + e.getClass().getSimpleName() + "\n");
        }
      }
      write(out, response, headOnly);
    } catch (IOException e) {
      // the client went away
    }
  }

  /** The request line and headers, up to the empty line; null if not complete by the deadline. */
  private static String readHead(Socket client, long deadline) throws IOException {
    InputStream in = client.getInputStream();
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    byte[] chunk = new byte[1024];
    while (buf.size() < MAX_HEAD_BYTES) {
      long left = deadline - System.nanoTime();
      if (left <= 0) return null;
      client.setSoTimeout((int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
      int n;
      try {
        n = in.read(chunk);
      } catch (SocketTimeoutException | SocketException e) {
        return null;
      }
      if (n < 0) return null;
      buf.write(chunk, 0, n);
      String text = buf.toString(StandardCharsets.ISO_8859_1);
      int end = text.indexOf("\r\n\r\n");
      if (end < 0) end = text.indexOf("\n\n");
      if (end >= 0) return text.substring(0, end).replace("\r\n", "\n").replace("\n", "\r\n");
    }
    return null;
  }

  private static void write(OutputStream out, Response r, boolean headOnly, String... headers)
      throws IOException {
    byte[] body = r.body().getBytes(StandardCharsets.UTF_8);
    StringBuilder h = new StringBuilder();
    h.append("HTTP/1.1 ").append(r.status()).append(' ').append(reason(r.status())).append("\r\n");
    h.append("Content-Type: ").append(r.contentType()).append("\r\n");
    h.append("Content-Length: ").append(body.length).append("\r\n");
    h.append("Connection: close\r\n");
    for (String extra : headers) h.append(extra).append("\r\n");
    h.append("\r\n");
    out.write(h.toString().getBytes(StandardCharsets.ISO_8859_1));
    if (!headOnly) out.write(body);
    out.flush();
  }

  private static String reason(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 400 -> "Bad Request";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 500 -> "Internal Server Error";
      case 503 -> "Service Unavailable";
      default -> "Status";
    };
  }

  @Override
  public void close() {
    closed = true;
    try {
      socket.close();
    } catch (IOException e) {
      // closing anyway
    }
    pool.shutdownNow();
    try {
      acceptor.join(5000);
      pool.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public static final class Builder {
    private String address = GatewaySettings.DEFAULT_HEALTH_ADDRESS;
    private int port;
    private int threads = 8;
    private Duration requestDeadline = Duration.ofSeconds(2);
    private final Map<String, Supplier<Response>> endpoints = new LinkedHashMap<>();

    private Builder() {}

    public Builder address(String address) {
      this.address = address;
      return this;
    }

    /** 0: any free port ({@link #port()} says which). */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    public Builder threads(int threads) {
      if (threads < 1) throw new IllegalArgumentException("threads must be positive");
      this.threads = threads;
      return this;
    }

    /** How long a client may take to send its request line and headers. */
    public Builder requestDeadline(Duration deadline) {
      this.requestDeadline = deadline;
      return this;
    }

    /** Answers GET and HEAD on exactly {@code path} (a query string is ignored). */
    public Builder endpoint(String path, Supplier<Response> handler) {
      if (!path.startsWith("/")) throw new IllegalArgumentException("a path starts with /");
      endpoints.put(path, Objects.requireNonNull(handler));
      return this;
    }

    public HealthServer build() throws IOException {
      return new HealthServer(this);
    }
  }
}
