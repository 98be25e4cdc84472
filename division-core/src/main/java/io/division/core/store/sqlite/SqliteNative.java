package io.division.core.store.sqlite;

import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * sqlite-jdbc extracts its native library to a fresh temporary file on every start (~120 ms, most
 * of a CLI call). Extracting it once into a cache folder and pointing the driver there removes that
 * cost from every later process.
 */
final class SqliteNative {
  private static volatile boolean prepared;

  private SqliteNative() {}

  static synchronized void prepare(Path cacheRoot) {
    if (prepared || System.getProperty("org.sqlite.lib.path") != null) return;
    prepared = true;
    try {
      String file = System.mapLibraryName("sqlitejdbc");
      String version = org.sqlite.SQLiteJDBCLoader.getVersion();
      // Keyed by the JVM's own platform names: asking sqlite-jdbc's OSInfo spawns a process.
      String platform =
          (System.getProperty("os.name") + "-" + System.getProperty("os.arch"))
              .replaceAll("[^A-Za-z0-9_.-]", "_");
      Path dir = cacheRoot.resolve("sqlite-jdbc-" + version + "-" + platform);
      Path lib = dir.resolve(file);
      if (!Files.isRegularFile(lib)) {
        String folder = org.sqlite.util.OSInfo.getNativeLibFolderPathForCurrentOS();
        String resource = "/org/sqlite/native/" + folder + "/" + file;
        try (InputStream in = SqliteNative.class.getResourceAsStream(resource)) {
          if (in == null) return; // an unusual platform: let the driver find its own way
          Files.createDirectories(dir);
          Path tmp = Files.createTempFile(dir, file, ".tmp");
          Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
          try {
            Files.move(tmp, lib, StandardCopyOption.ATOMIC_MOVE);
          } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, lib, StandardCopyOption.REPLACE_EXISTING);
          }
        }
      }
      // The properties are global and DynamoDB Local's own SQLite loader reads the same names:
      // they are set only while the driver loads its library, once per JVM, then cleared.
      System.setProperty("org.sqlite.lib.path", dir.toString());
      System.setProperty("org.sqlite.lib.name", file);
      try {
        org.sqlite.SQLiteJDBCLoader.initialize();
      } finally {
        System.clearProperty("org.sqlite.lib.path");
        System.clearProperty("org.sqlite.lib.name");
      }
    } catch (Exception e) {
      // The cache is an optimisation only; the driver extracts to a temporary file without it.
    }
  }
}
