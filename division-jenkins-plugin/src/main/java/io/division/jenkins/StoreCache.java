package io.division.jenkins;

import io.division.core.Division;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * One open store per store URL and credentials id, shared by every step and build of the
 * controller: a store is long-lived and thread-safe, and sharing it is what lets many waits share
 * one poller.
 */
final class StoreCache {
  private final Path home;
  private final Map<String, Division> open = new ConcurrentHashMap<>();

  StoreCache(Path home) {
    this.home = home;
  }

  /** The store URL used when neither the step nor the global configuration names one. */
  String defaultUrl() {
    return "sqlite:" + home.resolve("division.db");
  }

  Division get(String url, String credentialsId, AwsCredentialsProvider credentials) {
    String key = url + "\n" + (credentialsId == null ? "" : credentialsId);
    return open.computeIfAbsent(key, k -> DivisionStores.open(url, home, credentials));
  }
}
