package io.division.core.store.dynamodb;

import io.division.core.store.StoreBackend;
import io.division.core.store.StoreConformanceTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/** The shared store contract, against DynamoDB Local: one server per class, tables per test. */
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
}
