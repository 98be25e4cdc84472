package io.division.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The probe server over real sockets: what it answers, and that stalled clients block nobody. */
class HealthServerTest {
  HealthServer server;
  final List<Socket> stalled = new ArrayList<>();

  @BeforeEach
  void start() throws IOException {
    server =
        HealthServer.builder()
            .port(0)
            .threads(2)
            .requestDeadline(Duration.ofSeconds(2))
            .endpoint("/healthz", () -> HealthServer.Response.text(200, "ok\n"))
            .build();
  }

  @AfterEach
  void stop() throws IOException {
    for (Socket s : stalled) s.close();
    server.close();
  }

  private String exchange(String request) throws IOException {
    return exchange(request, 5000);
  }

  /** One request, as a probe with a timeout of {@code timeoutMillis} sends it. */
  private String exchange(String request, int timeoutMillis) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", server.port()), timeoutMillis);
      s.setSoTimeout(timeoutMillis);
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      in.transferTo(buf);
      return buf.toString(StandardCharsets.UTF_8);
    }
  }

  private Socket stall(String partial) throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress("127.0.0.1", server.port()), 1000);
    s.getOutputStream().write(partial.getBytes(StandardCharsets.ISO_8859_1));
    s.getOutputStream().flush();
    stalled.add(s);
    return s;
  }

  @Test
  void getAndHeadOnTheExactPathOnly() throws IOException {
    assertThat(exchange("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"))
        .startsWith("HTTP/1.1 200 ")
        .endsWith("\r\n\r\nok\n");
    assertThat(exchange("HEAD /healthz HTTP/1.1\r\n\r\n"))
        .startsWith("HTTP/1.1 200 ")
        .contains("Content-Length: 3")
        .endsWith("\r\n\r\n");
    assertThat(exchange("GET /healthz?verbose HTTP/1.1\r\n\r\n")).startsWith("HTTP/1.1 200 ");
    assertThat(exchange("POST /healthz HTTP/1.1\r\nContent-Length: 0\r\n\r\n"))
        .startsWith("HTTP/1.1 405 ")
        .contains("Allow: GET, HEAD");
    assertThat(exchange("DELETE /healthz HTTP/1.1\r\n\r\n")).startsWith("HTTP/1.1 405 ");
    assertThat(exchange("GET /healthzz HTTP/1.1\r\n\r\n")).startsWith("HTTP/1.1 404 ");
    assertThat(exchange("GET /healthz/x HTTP/1.1\r\n\r\n")).startsWith("HTTP/1.1 404 ");
    assertThat(exchange("GET / HTTP/1.1\r\n\r\n")).startsWith("HTTP/1.1 404 ");
    assertThat(exchange("nonsense\r\n\r\n")).startsWith("HTTP/1.1 400 ");
  }

  @Test
  void stalledClientsDoNotHoldUpAProbe() throws IOException {
    // More stalled clients than threads: one that connects and says nothing, one that stops
    // mid-request, one that stops after the request line.
    stall("");
    stall("GET /hea");
    stall("GET /healthz HTTP/1.1\r\n");
    // A probe with Kubernetes' default timeout of one second: answered (served by a free thread
    // or refused as busy), never left waiting behind the stalled ones until they time out.
    assertThat(exchange("GET /healthz HTTP/1.1\r\n\r\n", 1000))
        .matches("(?s)HTTP/1.1 (200|503) .*");
    // Once their deadline has passed, every probe is served again.
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> exchange("GET /healthz HTTP/1.1\r\n\r\n").startsWith("HTTP/1.1 200 "));
  }

  @Test
  void aStalledClientIsCutOffAtTheDeadline() throws IOException {
    Socket s = stall("GET /healthz HTTP/1.1\r\n");
    s.setSoTimeout(10_000); // far past the server's two-second deadline
    assertThat(s.getInputStream().read()).as("closed without an answer").isEqualTo(-1);
  }

  @Test
  void bindsTheLoopbackAddressByDefault() throws IOException {
    try (HealthServer defaults =
        HealthServer.builder().endpoint("/x", () -> HealthServer.Response.text(200, "")).build()) {
      assertThat(defaults.address().isLoopbackAddress()).isTrue();
    }
  }
}
