package io.division.core.store.dynamodb;

import io.division.core.DivisionException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where and how to reach the DynamoDB store, parsed from {@code
 * dynamodb://[TABLE_PREFIX][?region=R&endpoint=URL&profile=P]}. Without a region the SDK's chain
 * decides (AWS_REGION, the profile); without credentials the default chain does (environment,
 * AWS_PROFILE, web identity for IRSA, instance profile). Holds no AWS SDK types.
 *
 * @param tablePrefix first part of every table name, see {@link DynamoTables}
 * @param region AWS region, or null for the SDK's default chain
 * @param endpoint endpoint override (DynamoDB Local, a VPC endpoint), or null
 * @param profile named profile for credentials and region, or null
 * @param credentials fixed credentials (tests, DynamoDB Local), or null for the default chain
 * @param pollInterval how soon a watch reads the change log again after it found a change, and how
 *     often a log follower asks DynamoDB for news
 * @param idlePollInterval the longest a watch waits between reads while nothing changes: the wait
 *     doubles from {@code pollInterval} with each read that finds nothing, up to this (equal to
 *     {@code pollInterval}: fixed polling)
 * @param changeRetention how long change records (what a watch resumes from) are kept
 * @param logRetention how long log lines are kept (a TTL attribute on each line)
 * @param createTables whether a write may create the tables it needs
 */
public record DynamoSettings(
    String tablePrefix,
    String region,
    URI endpoint,
    String profile,
    StaticCredentials credentials,
    Duration pollInterval,
    Duration idlePollInterval,
    Duration changeRetention,
    Duration logRetention,
    boolean createTables) {

  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(200);

  /**
   * Below 1 s with room for two round trips, so that a change after a quiet spell still reaches a
   * watcher within a second; an idle watcher then makes about a third of the reads of polling every
   * 200 ms (measured with the bench's dynamodb-procs, see docs/dynamodb.md).
   */
  public static final Duration DEFAULT_IDLE_POLL_INTERVAL = Duration.ofMillis(800);

  public static final Duration DEFAULT_CHANGE_RETENTION = Duration.ofHours(24);
  public static final Duration DEFAULT_LOG_RETENTION = Duration.ofDays(30);

  private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z0-9]+)+-[0-9]+|local");

  /** Fixed credentials; {@link #toString()} hides the secret. */
  public record StaticCredentials(String accessKeyId, String secretAccessKey) {
    public StaticCredentials {
      Objects.requireNonNull(accessKeyId, "accessKeyId");
      Objects.requireNonNull(secretAccessKey, "secretAccessKey");
    }

    @Override
    public String toString() {
      return "StaticCredentials[" + accessKeyId + ", ****]";
    }
  }

  public DynamoSettings {
    DynamoTables.checkPrefix(tablePrefix);
    if (region != null && !REGION.matcher(region).matches()) {
      throw DivisionException.invalid("invalid AWS region \"" + region + "\" (e.g. us-east-1)");
    }
    if (endpoint != null) {
      String scheme = endpoint.getScheme();
      if (!"http".equals(scheme) && !"https".equals(scheme) || endpoint.getHost() == null) {
        throw DivisionException.invalid(
            "invalid endpoint \"" + endpoint + "\": use http://HOST:PORT or https://HOST");
      }
    }
    if (profile != null && profile.isBlank()) profile = null;
    Objects.requireNonNull(pollInterval, "pollInterval");
    Objects.requireNonNull(idlePollInterval, "idlePollInterval");
    Objects.requireNonNull(changeRetention, "changeRetention");
    Objects.requireNonNull(logRetention, "logRetention");
    if (pollInterval.isNegative() || pollInterval.isZero()) {
      throw DivisionException.invalid("pollInterval must be positive");
    }
    if (idlePollInterval.compareTo(pollInterval) < 0) {
      throw DivisionException.invalid(
          "idlePollInterval ("
              + idlePollInterval.toMillis()
              + " ms) must not be shorter than pollInterval ("
              + pollInterval.toMillis()
              + " ms)");
    }
  }

  /** {@code dynamodb://} with everything left to the defaults. */
  public static DynamoSettings defaults() {
    return builder().build();
  }

  /** Starts from the defaults; {@link Builder#build()} validates. */
  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder()
        .tablePrefix(tablePrefix)
        .region(region)
        .endpoint(endpoint)
        .profile(profile)
        .credentials(credentials)
        .pollInterval(pollInterval)
        .idlePollInterval(idlePollInterval)
        .changeRetention(changeRetention)
        .logRetention(logRetention)
        .createTables(createTables);
  }

  /**
   * Parses {@code dynamodb://[TABLE_PREFIX][?region=R&endpoint=URL&profile=P]}.
   *
   * @throws DivisionException naming what is wrong with the URL
   */
  public static DynamoSettings parse(String url) {
    String scheme = "dynamodb://";
    if (url == null || !url.startsWith(scheme)) {
      throw DivisionException.invalid(
          "not a DynamoDB store URL: \""
              + url
              + "\" (expected dynamodb://[TABLE_PREFIX][?region=R&endpoint=URL&profile=P])");
    }
    String rest = url.substring(scheme.length());
    String query = null;
    int q = rest.indexOf('?');
    if (q >= 0) {
      query = rest.substring(q + 1);
      rest = rest.substring(0, q);
    }
    if (rest.endsWith("/")) rest = rest.substring(0, rest.length() - 1);
    Builder s = builder();
    try {
      if (!rest.isEmpty()) s.tablePrefix(rest);
      if (query != null && !query.isEmpty()) {
        for (String pair : query.split("&")) {
          int eq = pair.indexOf('=');
          if (eq <= 0) throw DivisionException.invalid("expected NAME=VALUE, got \"" + pair + "\"");
          String name = pair.substring(0, eq);
          String value = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
          if (value.isEmpty()) throw DivisionException.invalid(name + " is empty");
          switch (name) {
            case "region" -> s.region(value);
            case "endpoint" -> s.endpoint(toUri(value));
            case "profile" -> s.profile(value);
            default ->
                throw DivisionException.invalid(
                    "unknown parameter \"" + name + "\" (known: region, endpoint, profile)");
          }
        }
      }
      return s.build();
    } catch (IllegalArgumentException | DivisionException e) {
      throw DivisionException.invalid("invalid store URL \"" + url + "\": " + e.getMessage(), e);
    }
  }

  private static URI toUri(String value) {
    try {
      return new URI(value);
    } catch (URISyntaxException e) {
      throw DivisionException.invalid("invalid endpoint \"" + value + "\": " + e.getReason());
    }
  }

  /** The URL this was parsed from, normalised; never includes credentials. */
  public String toUrl() {
    StringBuilder b = new StringBuilder("dynamodb://").append(tablePrefix);
    String sep = "?";
    if (region != null) {
      b.append(sep).append("region=").append(region);
      sep = "&";
    }
    if (endpoint != null) {
      b.append(sep).append("endpoint=").append(endpoint);
      sep = "&";
    }
    if (profile != null) b.append(sep).append("profile=").append(profile);
    return b.toString();
  }

  /** Starts from the defaults of {@code dynamodb://}. */
  public static final class Builder {
    private String tablePrefix = DynamoTables.DEFAULT_PREFIX;
    private String region;
    private URI endpoint;
    private String profile;
    private StaticCredentials credentials;
    private Duration pollInterval = DEFAULT_POLL_INTERVAL;
    private Duration idlePollInterval;
    private Duration changeRetention = DEFAULT_CHANGE_RETENTION;
    private Duration logRetention = DEFAULT_LOG_RETENTION;
    private boolean createTables = true;
    private boolean fixed;

    private Builder() {}

    public Builder tablePrefix(String value) {
      tablePrefix = value;
      return this;
    }

    public Builder region(String value) {
      region = value;
      return this;
    }

    public Builder endpoint(URI value) {
      endpoint = value;
      return this;
    }

    public Builder profile(String value) {
      profile = value;
      return this;
    }

    public Builder credentials(StaticCredentials value) {
      credentials = value;
      return this;
    }

    /** Fixed credentials instead of the default chain: for DynamoDB Local and tests. */
    public Builder staticCredentials(String accessKeyId, String secretAccessKey) {
      return credentials(new StaticCredentials(accessKeyId, secretAccessKey));
    }

    /** How soon a watch reads again after a change (and how often log followers read). */
    public Builder pollInterval(Duration value) {
      pollInterval = value;
      return this;
    }

    /**
     * The cap of a watch's wait between reads while nothing changes. Unset: {@link
     * #DEFAULT_IDLE_POLL_INTERVAL}, or the poll interval if that is longer.
     */
    public Builder idlePollInterval(Duration value) {
      idlePollInterval = value;
      fixed = false;
      return this;
    }

    /** Reads at the poll interval whether or not anything changes (no adaptive slow-down). */
    public Builder fixedPolling() {
      idlePollInterval = null;
      fixed = true;
      return this;
    }

    public Builder changeRetention(Duration value) {
      changeRetention = value;
      return this;
    }

    public Builder logRetention(Duration value) {
      logRetention = value;
      return this;
    }

    /** Whether a write may create the tables it needs (off when an admin manages them). */
    public Builder createTables(boolean value) {
      createTables = value;
      return this;
    }

    public DynamoSettings build() {
      return new DynamoSettings(
          tablePrefix,
          region,
          endpoint,
          profile,
          credentials,
          pollInterval,
          idle(),
          changeRetention,
          logRetention,
          createTables);
    }

    private Duration idle() {
      if (fixed) return pollInterval;
      if (idlePollInterval != null || pollInterval == null) return idlePollInterval;
      return pollInterval.compareTo(DEFAULT_IDLE_POLL_INTERVAL) > 0
          ? pollInterval
          : DEFAULT_IDLE_POLL_INTERVAL;
    }
  }
}
