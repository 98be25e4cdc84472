package io.division.core.config;

import io.division.core.DivisionException;
import io.division.core.store.dynamodb.DynamoClientOptions;
import io.division.core.store.sqlite.SqliteOptions;
import java.util.Objects;

/**
 * How to open a store: its URL ({@code sqlite:PATH} or {@code dynamodb://...}) plus what a caller
 * may want to give beyond the URL: SQLite tuning, and for DynamoDB its own credentials provider and
 * HTTP client ({@link DynamoClientOptions}). Build one with {@link #builder(String)} or from a
 * configuration with {@link #from(DivConfig)}.
 *
 * <p>Holding a {@code DynamoClientOptions} field does not load AWS SDK classes: opening a {@code
 * sqlite:} store never touches them (a test checks this).
 */
public final class StoreOptions {
  private final String url;
  private final SqliteOptions sqlite;
  private final DynamoClientOptions dynamoClient;

  private StoreOptions(Builder b) {
    if (b.url == null || b.url.isBlank())
      throw DivisionException.invalid("a store URL is required");
    this.url = b.url;
    this.sqlite = Objects.requireNonNull(b.sqlite, "sqlite");
    this.dynamoClient = b.dynamoClient;
  }

  public static Builder builder(String url) {
    return new Builder(url);
  }

  /** The configuration's store, with the native SQLite library cached under its home. */
  public static Builder from(DivConfig config) {
    return builder(config.storeUrl())
        .sqlite(SqliteOptions.builder().nativeCache(config.home().resolve("cache")).build());
  }

  public String url() {
    return url;
  }

  public SqliteOptions sqlite() {
    return sqlite;
  }

  /** The caller's AWS client parts, or null for the defaults. */
  public DynamoClientOptions dynamoClient() {
    return dynamoClient;
  }

  public static final class Builder {
    private String url;
    private SqliteOptions sqlite = SqliteOptions.DEFAULTS;
    private DynamoClientOptions dynamoClient;

    private Builder(String url) {
      this.url = url;
    }

    public Builder url(String value) {
      url = value;
      return this;
    }

    public Builder sqlite(SqliteOptions value) {
      sqlite = value;
      return this;
    }

    public Builder dynamoClient(DynamoClientOptions value) {
      dynamoClient = value;
      return this;
    }

    public StoreOptions build() {
      return new StoreOptions(this);
    }
  }
}
