package io.division.core.store.dynamodb;

import java.lang.reflect.Field;
import java.net.URI;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * DynamoDB Local (the real engine from AWS) in this JVM, in memory, on 127.0.0.1 and a free port.
 * Start one per test class and give each test its own {@link #uniquePrefix() table prefix}.
 *
 * <pre>{@code
 * static DynamoDbLocalServer server = DynamoDbLocalServer.start();
 * DynamoBackend backend = DynamoBackend.open(server.settings(DynamoDbLocalServer.uniquePrefix()));
 * }</pre>
 */
public final class DynamoDbLocalServer implements AutoCloseable {
  /** DynamoDB Local checks that an access key id is alphanumeric, and nothing else. */
  public static final String ACCESS_KEY_ID = "divisionlocal";

  public static final String SECRET_ACCESS_KEY = "divisionlocal";

  private static final AtomicInteger PREFIXES = new AtomicInteger();

  private final DynamoDBProxyServer server;
  private final int port;

  private DynamoDbLocalServer(DynamoDBProxyServer server, int port) {
    this.server = server;
    this.port = port;
  }

  public static DynamoDbLocalServer start() {
    try {
      DynamoDBProxyServer server =
          ServerRunner.createServerFromCommandLineArgs(
              new String[] {"-inMemory", "-disableTelemetry", "-port", "8000"});
      // ServerRunner binds every interface on a fixed port; tests may bind only the loopback
      // address, and a free port is chosen by the OS: both are set before the server starts.
      ServerConnector connector = loopbackConnector(server);
      server.start();
      return new DynamoDbLocalServer(server, connector.getLocalPort());
    } catch (Exception e) {
      throw new IllegalStateException("cannot start DynamoDB Local: " + e.getMessage(), e);
    }
  }

  private static ServerConnector loopbackConnector(DynamoDBProxyServer proxy)
      throws ReflectiveOperationException {
    Field field = DynamoDBProxyServer.class.getDeclaredField("server");
    field.setAccessible(true);
    Server jetty = (Server) field.get(proxy);
    for (Connector c : jetty.getConnectors()) {
      if (c instanceof ServerConnector sc) {
        sc.setHost("127.0.0.1");
        sc.setPort(0);
        return sc;
      }
    }
    throw new IllegalStateException("DynamoDB Local has no network connector");
  }

  public int port() {
    return port;
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** Settings for this server with its own tables: explicit endpoint and static credentials. */
  public DynamoSettings settings(String tablePrefix) {
    return DynamoSettings.defaults()
        .withTablePrefix(tablePrefix)
        .withEndpoint(endpoint())
        .withRegion("us-east-1")
        .withStaticCredentials(ACCESS_KEY_ID, SECRET_ACCESS_KEY)
        .withPollInterval(java.time.Duration.ofMillis(50));
  }

  /** The URL form, as {@code div} would be configured: {@code dynamodb://PREFIX?endpoint=...}. */
  public String url(String tablePrefix) {
    return "dynamodb://" + tablePrefix + "?region=us-east-1&endpoint=" + endpoint();
  }

  /** A plain SDK client on this server, for tests that inspect or damage tables directly. */
  public software.amazon.awssdk.services.dynamodb.DynamoDbClient client() {
    return software.amazon.awssdk.services.dynamodb.DynamoDbClient.builder()
        .endpointOverride(endpoint())
        .region(software.amazon.awssdk.regions.Region.US_EAST_1)
        .credentialsProvider(
            software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(
                    ACCESS_KEY_ID, SECRET_ACCESS_KEY)))
        .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create())
        .build();
  }

  /** A table prefix no other test uses. */
  public static String uniquePrefix() {
    return "t" + PREFIXES.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("cannot stop DynamoDB Local: " + e.getMessage(), e);
    }
  }
}
