package io.division.jenkins;

import io.division.core.Division;
import io.division.core.config.DivConfig;
import io.division.core.config.StoreOptions;
import io.division.core.store.dynamodb.DynamoClientOptions;
import java.nio.file.Path;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/** Opens a store from a URL, with the plugin's credentials for DynamoDB. */
final class DivisionStores {
  private DivisionStores() {}

  static Division open(String url, Path home, AwsCredentialsProvider credentials) {
    DivConfig config = new DivConfig(null, url, List.of(), home);
    StoreOptions.Builder options = StoreOptions.from(config);
    if (credentials != null && url.startsWith("dynamodb:")) {
      options.dynamoClient(DynamoClientOptions.builder().credentialsProvider(credentials).build());
    }
    return Division.open(config, options.build());
  }
}
