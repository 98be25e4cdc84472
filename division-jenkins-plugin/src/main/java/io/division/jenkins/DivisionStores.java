package io.division.jenkins;

import io.division.core.Division;
import io.division.core.DivisionException;
import io.division.core.config.DivConfig;
import java.nio.file.Path;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/** Opens a store from a URL, with the plugin's credentials for DynamoDB. */
final class DivisionStores {
  private DivisionStores() {}

  static Division open(String url, Path home, AwsCredentialsProvider credentials) {
    DivConfig config = new DivConfig(null, url, List.of(), home);
    if (credentials != null && url.startsWith("dynamodb:")) {
      throw DivisionException.invalid(
          "AWS credentials from Jenkins are not supported by this core yet: " + url);
    }
    return Division.open(config);
  }
}
