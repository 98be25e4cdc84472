package io.division.core.config;

import io.division.core.DivisionException;
import io.division.core.store.StoreBackend;
import io.division.core.store.sqlite.SqliteBackend;
import io.division.core.store.sqlite.SqliteOptions;
import java.nio.file.Path;

/** Opens the backend a store URL names: {@code sqlite:PATH} or {@code dynamodb://...}. */
public final class StoreUrls {
  private StoreUrls() {}

  public static StoreBackend open(String url, Path home) {
    if (url.startsWith("sqlite:")) {
      String path = url.substring("sqlite:".length());
      if (path.isBlank())
        throw DivisionException.invalid("store URL \"" + url + "\" needs a file path");
      return SqliteBackend.open(
          Path.of(path), SqliteOptions.DEFAULTS.withNativeCache(home.resolve("cache")));
    }
    if (url.startsWith("dynamodb:")) {
      return io.division.core.store.dynamodb.DynamoBackend.open(
          io.division.core.store.dynamodb.DynamoSettings.parse(url));
    }
    throw DivisionException.invalid(
        "unsupported store URL \"" + url + "\": expected sqlite:PATH or dynamodb://[TABLE_PREFIX]");
  }
}
