package io.division.core.store.dynamodb;

import io.division.core.store.StoreException;
import java.time.Duration;
import java.util.Locale;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

/** Builds the SDK client the DynamoDB store talks through, from settings and caller parts. */
final class DynamoClients {
  private DynamoClients() {}

  static DynamoDbClient build(DynamoSettings s, DynamoClientOptions given) {
    ClientOverrideConfiguration.Builder overrides =
        ClientOverrideConfiguration.builder()
            // Throttling and transient errors: jittered exponential backoff, up to 10 attempts.
            .retryStrategy(
                AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(10).build())
            .apiCallAttemptTimeout(Duration.ofSeconds(15));
    if (s.profile() != null) overrides.defaultProfileName(s.profile());
    given.interceptors().forEach(overrides::addExecutionInterceptor);
    DynamoDbClientBuilder b = DynamoDbClient.builder().overrideConfiguration(overrides.build());
    // A given HTTP client is used as is (and stays the caller's to close); otherwise the JDK's URL
    // connection, named explicitly so the SDK never searches the class path for one.
    b.httpClient(
        given.httpClient() != null
            ? given.httpClient()
            : UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(5))
                .socketTimeout(Duration.ofSeconds(30))
                .build());
    if (s.endpoint() != null) b.endpointOverride(s.endpoint());
    if (s.region() != null) {
      b.region(Region.of(s.region()));
    } else if (s.endpoint() != null) {
      // DynamoDB Local ignores the region, but the SDK wants one to sign requests.
      b.region(Region.US_EAST_1);
    }
    if (given.credentialsProvider() != null) {
      b.credentialsProvider(given.credentialsProvider());
    } else if (s.credentials() != null) {
      b.credentialsProvider(
          StaticCredentialsProvider.create(
              AwsBasicCredentials.create(
                  s.credentials().accessKeyId(), s.credentials().secretAccessKey())));
    } else if (s.profile() != null) {
      b.credentialsProvider(ProfileCredentialsProvider.builder().profileName(s.profile()).build());
    } else {
      b.credentialsProvider(DefaultCredentialsProvider.builder().build());
    }
    try {
      return b.build();
    } catch (SdkClientException e) {
      String message = DynamoErrors.oneLine(e.getMessage());
      if (message.toLowerCase(Locale.ROOT).contains("region")) {
        throw StoreException.unavailable(
            "no AWS region for " + s.toUrl() + ": add ?region=R to the store URL or set AWS_REGION",
            e);
      }
      throw StoreException.unavailable(
          "cannot set up DynamoDB client for " + s.toUrl() + ": " + message, e);
    }
  }
}
