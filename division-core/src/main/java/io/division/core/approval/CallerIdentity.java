package io.division.core.approval;

import io.division.core.DivisionException;
import io.division.core.config.DivConfig;
import io.division.core.store.dynamodb.DynamoSettings;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Who the caller is, as strongly as the store allows: on DynamoDB, the principal AWS authenticates
 * (STS GetCallerIdentity: the ARN, which a person cannot choose); on the embedded store, the
 * operating-system user (the store file is the user's own, mode 0600). AWS classes load only on the
 * DynamoDB path.
 */
public final class CallerIdentity {
  private CallerIdentity() {}

  public static Identity of(DivConfig config) {
    String url = config.storeUrl();
    if (url == null || !url.startsWith("dynamodb:")) return Identity.os();
    DynamoSettings settings = DynamoSettings.parse(url);
    if (settings.endpoint() != null) {
      // A local emulator (DynamoDB Local) has no identities of its own to ask.
      return Identity.os();
    }
    return aws(settings);
  }

  private static Identity aws(DynamoSettings settings) {
    var builder = StsClient.builder().httpClient(UrlConnectionHttpClient.create());
    if (settings.region() != null) builder.region(Region.of(settings.region()));
    builder.credentialsProvider(
        settings.profile() != null
            ? ProfileCredentialsProvider.create(settings.profile())
            : DefaultCredentialsProvider.builder().build());
    try (StsClient sts = builder.build()) {
      String arn = sts.getCallerIdentity().arn();
      return new Identity(arn, Identity.Source.AWS, Set.of());
    } catch (SdkException e) {
      throw new DivisionException(
          DivisionException.Reason.UNAVAILABLE,
          "cannot learn who you are from AWS STS (GetCallerIdentity): " + e.getMessage(),
          null,
          e);
    }
  }
}
