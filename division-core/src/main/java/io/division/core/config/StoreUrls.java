package io.division.core.config;

import io.division.core.DivisionException;
import io.division.core.store.StoreBackend;
import io.division.core.store.dynamodb.DynamoBackend;
import io.division.core.store.dynamodb.DynamoClientOptions;
import io.division.core.store.dynamodb.DynamoSettings;
import io.division.core.store.sqlite.SqliteBackend;
import io.division.core.store.sqlite.SqliteOptions;
import java.nio.file.Path;

/** Opens the backend a store URL names: {@code sqlite:PATH} or {@code dynamodb://...}. */
public final class StoreUrls {
  private StoreUrls() {}

  public static StoreBackend open(String url, Path home) {
    return open(
        StoreOptions.builder(url)
            .sqlite(SqliteOptions.builder().nativeCache(home.resolve("cache")).build())
            .build());
  }

  public static StoreBackend open(StoreOptions options) {
    String url = options.url();
    if (url.startsWith("sqlite:")) {
      String path = url.substring("sqlite:".length());
      if (path.isBlank())
        throw DivisionException.invalid("store URL \"" + url + "\" needs a file path");
      return SqliteBackend.open(Path.of(path), options.sqlite());
    }
    if (url.startsWith("dynamodb:")) {
      // Only this branch refers to DynamoDB classes, and they load only when it runs.
      DynamoClientOptions client =
          options.dynamoClient() == null ? DynamoClientOptions.DEFAULTS : options.dynamoClient();
      return DynamoBackend.open(DynamoSettings.parse(url), client);
    }
    throw DivisionException.invalid(
        "unsupported store URL \"" + url + "\": expected sqlite:PATH or dynamodb://[TABLE_PREFIX]");
  }
}
