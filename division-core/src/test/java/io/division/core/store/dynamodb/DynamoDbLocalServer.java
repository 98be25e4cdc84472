package io.division.core.store.dynamodb;

import java.lang.reflect.Field;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * DynamoDB Local (the real engine from AWS) in this JVM, on 127.0.0.1. Tests get the one shared
 * in-memory server through {@link DynamoDbLocalExtension} and give each test its own {@link
 * #uniquePrefix() table prefix}; a test that stops and starts the engine makes its own with {@link
 * #startOnDisk(Path)} (its data survives {@link #restart()}, on the same port) and closes it.
 */
public final class DynamoDbLocalServer implements AutoCloseable {
  /** DynamoDB Local checks that an access key id is alphanumeric, and nothing else. */
  public static final String ACCESS_KEY_ID = "divisionlocal";

  public static final String SECRET_ACCESS_KEY = "divisionlocal";

  private static final AtomicInteger PREFIXES = new AtomicInteger();

  private final Path dbPath;
  private DynamoDBProxyServer server;
  private int port;

  private DynamoDbLocalServer(Path dbPath) {
    this.dbPath = dbPath;
  }

  /** An in-memory server on a free port. Prefer {@link DynamoDbLocalExtension} in tests. */
  public static DynamoDbLocalServer start() {
    DynamoDbLocalServer s = new DynamoDbLocalServer(null);
    s.startOn(0);
    return s;
  }

  /** A server keeping its tables in {@code dir}, so that they survive {@link #restart()}. */
  public static DynamoDbLocalServer startOnDisk(Path dir) {
    DynamoDbLocalServer s = new DynamoDbLocalServer(dir);
    s.startOn(0);
    return s;
  }

  private synchronized void startOn(int wantedPort) {
    try {
      List<String> args = new ArrayList<>(List.of("-disableTelemetry", "-port", "8000"));
      if (dbPath == null) {
        args.add("-inMemory");
      } else {
        args.addAll(List.of("-sharedDb", "-dbPath", dbPath.toString()));
      }
      DynamoDBProxyServer proxy =
          ServerRunner.createServerFromCommandLineArgs(args.toArray(String[]::new));
      // ServerRunner binds every interface on a fixed port; tests may bind only the loopback
      // address, and a free port is chosen by the OS: both are set before the server starts.
      ServerConnector connector = loopbackConnector(proxy, wantedPort);
      proxy.start();
      server = proxy;
      port = connector.getLocalPort();
    } catch (Exception e) {
      throw new IllegalStateException("cannot start DynamoDB Local: " + e.getMessage(), e);
    }
  }

  private static ServerConnector loopbackConnector(DynamoDBProxyServer proxy, int port)
      throws ReflectiveOperationException {
    Field field = DynamoDBProxyServer.class.getDeclaredField("server");
    field.setAccessible(true);
    Server jetty = (Server) field.get(proxy);
    for (Connector c : jetty.getConnectors()) {
      if (c instanceof ServerConnector sc) {
        sc.setHost("127.0.0.1");
        sc.setPort(port);
        return sc;
      }
    }
    throw new IllegalStateException("DynamoDB Local has no network connector");
  }

  /** Stops the engine; clients get connection errors until {@link #start()} again. */
  public synchronized void stop() {
    if (server == null) return;
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("cannot stop DynamoDB Local: " + e.getMessage(), e);
    } finally {
      server = null;
    }
  }

  /** Starts a stopped on-disk server again on the same port, with the same tables. */
  public synchronized void startAgain() {
    if (dbPath == null) throw new IllegalStateException("an in-memory server loses its tables");
    if (server == null) startOn(port);
  }

  /** {@link #stop()} then {@link #startAgain()}. */
  public void restart() {
    stop();
    startAgain();
  }

  public int port() {
    return port;
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** Settings for this server with its own tables: explicit endpoint and static credentials. */
  public DynamoSettings settings(String tablePrefix) {
    return settingsBuilder(tablePrefix).build();
  }

  /** {@link #settings(String)} as a builder, for a test that changes more. */
  public DynamoSettings.Builder settingsBuilder(String tablePrefix) {
    return DynamoSettings.builder()
        .tablePrefix(tablePrefix)
        .endpoint(endpoint())
        .region("us-east-1")
        .staticCredentials(ACCESS_KEY_ID, SECRET_ACCESS_KEY)
        .pollInterval(Duration.ofMillis(50));
  }

  /** The URL form, as {@code div} would be configured: {@code dynamodb://PREFIX?endpoint=...}. */
  public String url(String tablePrefix) {
    return "dynamodb://" + tablePrefix + "?region=us-east-1&endpoint=" + endpoint();
  }

  /** A plain SDK client on this server, for tests that inspect or damage tables directly. */
  public DynamoDbClient client() {
    return DynamoDbClient.builder()
        .endpointOverride(endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(ACCESS_KEY_ID, SECRET_ACCESS_KEY)))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  /** A table prefix no other test uses. */
  public static String uniquePrefix() {
    return "t" + PREFIXES.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Override
  public void close() {
    stop();
  }
}
