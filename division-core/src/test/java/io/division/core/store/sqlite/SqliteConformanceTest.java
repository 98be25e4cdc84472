package io.division.core.store.sqlite;

import io.division.core.store.StoreBackend;
import io.division.core.store.StoreConformanceTest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

  /** A file of its own; a restart closes every handle on it, and later handles reopen it. */
  @Override
  protected RestartableStorage restartableStorage() {
    Path own = dir.resolve("restarted.db");
    List<StoreBackend> open = new ArrayList<>();
    return new RestartableStorage() {
      @Override
      public StoreBackend open() {
        StoreBackend backend = SqliteBackend.open(own);
        open.add(backend);
        return backend;
      }

      @Override
      public void restart() {
        close();
      }

      @Override
      public void close() {
        open.forEach(StoreBackend::close);
        open.clear();
      }
    };
  }
}
