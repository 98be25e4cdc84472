package io.division.core.store.sqlite;

import io.division.core.store.StoreBackend;
import io.division.core.store.StoreConformanceTest;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteConformanceTest extends StoreConformanceTest {
  @TempDir Path dir;
  private Path file;

  @Override
  protected StoreBackend newBackend() {
    file = dir.resolve("division.db");
    return SqliteBackend.open(file);
  }

  @Override
  protected StoreBackend secondBackend() {
    return SqliteBackend.open(file);
  }
}
