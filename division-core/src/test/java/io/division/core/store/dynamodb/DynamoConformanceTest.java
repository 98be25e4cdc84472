package io.division.core.store.dynamodb;

import io.division.core.store.StoreBackend;
import io.division.core.store.StoreConformanceTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/** The shared store contract, against DynamoDB Local: one server for the run, tables per test. */
@ExtendWith(DynamoDbLocalExtension.class)
class DynamoConformanceTest extends StoreConformanceTest {
  private static DynamoDbLocalServer server;
  private DynamoSettings settings;

  @BeforeAll
  static void server(DynamoDbLocalServer shared) {
    server = shared;
  }

  @Override
  protected StoreBackend newBackend() {
    settings = server.settings(DynamoDbLocalServer.uniquePrefix());
    return DynamoBackend.open(settings);
  }

  @Override
  protected StoreBackend secondBackend() {
    return DynamoBackend.open(settings);
  }

  /** DynamoDB Local of its own, on disk, stopped and started again on the same port. */
  @Override
  protected RestartableStorage restartableStorage() throws Exception {
    Path dir = Files.createTempDirectory("dynamodb-local");
    DynamoDbLocalServer own = DynamoDbLocalServer.startOnDisk(dir);
    DynamoSettings ownSettings = own.settings(DynamoDbLocalServer.uniquePrefix());
    List<StoreBackend> open = new ArrayList<>();
    return new RestartableStorage() {
      @Override
      public StoreBackend open() {
        StoreBackend backend = DynamoBackend.open(ownSettings);
        open.add(backend);
        return backend;
      }

      @Override
      public void restart() {
        own.restart();
      }

      @Override
      public void close() throws Exception {
        open.forEach(StoreBackend::close);
        own.close();
        try (Stream<Path> files = Files.walk(dir)) {
          for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
      }
    };
  }
}
