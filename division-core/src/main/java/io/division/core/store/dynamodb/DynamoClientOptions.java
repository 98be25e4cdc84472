package io.division.core.store.dynamodb;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpClient;

/**
 * What a caller that already has AWS machinery gives the DynamoDB store instead of letting it build
 * its own: a credentials provider (a Jenkins credential, an assumed role) and an HTTP client (with
 * the caller's proxy and TLS settings). Given ones are used as they are: no credentials chain is
 * consulted and no HTTP implementation is looked up on the class path. The caller keeps owning
 * them: closing the store does not close a given HTTP client.
 *
 * <p>Kept apart from {@link DynamoSettings} (plain values, parsed from a URL) so that only code
 * that opens a DynamoDB store ever loads AWS SDK classes.
 */
public final class DynamoClientOptions {
  /** Everything from the store URL and the SDK's default chains. */
  public static final DynamoClientOptions DEFAULTS = builder().build();

  private final AwsCredentialsProvider credentialsProvider;
  private final SdkHttpClient httpClient;
  private final List<ExecutionInterceptor> interceptors;

  private DynamoClientOptions(Builder b) {
    this.credentialsProvider = b.credentialsProvider;
    this.httpClient = b.httpClient;
    this.interceptors = List.copyOf(b.interceptors);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The caller's credentials provider, or null for the URL's profile or the default chain. */
  public AwsCredentialsProvider credentialsProvider() {
    return credentialsProvider;
  }

  /** The caller's HTTP client, or null for the store's own (the JDK's URL connection). */
  public SdkHttpClient httpClient() {
    return httpClient;
  }

  /** Observers of every SDK call (metrics, tests checking which actions are used). */
  public List<ExecutionInterceptor> interceptors() {
    return interceptors;
  }

  public static final class Builder {
    private AwsCredentialsProvider credentialsProvider;
    private SdkHttpClient httpClient;
    private final List<ExecutionInterceptor> interceptors = new ArrayList<>();

    private Builder() {}

    public Builder credentialsProvider(AwsCredentialsProvider value) {
      credentialsProvider = value;
      return this;
    }

    public Builder httpClient(SdkHttpClient value) {
      httpClient = value;
      return this;
    }

    public Builder interceptor(ExecutionInterceptor value) {
      interceptors.add(java.util.Objects.requireNonNull(value, "interceptor"));
      return this;
    }

    public DynamoClientOptions build() {
      return new DynamoClientOptions(this);
    }
  }
}
