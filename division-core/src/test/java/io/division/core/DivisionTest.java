package io.division.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.division.core.config.DivConfig;
import io.division.core.manifest.ManifestReader;
import io.division.core.store.ListQuery;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One long-lived {@link Division} serving many callers at once, as a Jenkins controller does. */
class DivisionTest {
  @TempDir Path home;

  private static final String CRD =
      """
      kind: CustomResourceDefinition
      metadata: {name: widgets.example.com}
      spec:
        group: example.com
        names: {kind: Widget, plural: widgets, singular: widget, shortNames: [wd]}
        scope: Namespaced
      """;

  @Test
  void oneInstanceServesConcurrentCallersAndLearnsAKindAnotherCallerApplied() throws Exception {
    int threads = 8;
    int each = 10;
    ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
    try (Division division =
        Division.open(DivConfig.discover(null, Map.of("DIVISION_HOME", home.toString()), home))) {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> futures = new ArrayList<>();
      futures.add(
          pool.submit(
              () -> {
                start.await();
                division.apply(ManifestReader.read("crd.yaml", CRD), null);
                return null;
              }));
      for (int t = 0; t < threads; t++) {
        int id = t;
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < each; i++) {
                    String name = "a" + id + "-" + i;
                    division.apply(
                        ManifestReader.read(
                            "a.yaml",
                            "kind: Approval\nmetadata: {name: "
                                + name
                                + "}\nspec: {requester: ci}\n"),
                        null);
                    assertThat(division.get("approval", null, name).name()).isEqualTo(name);
                  }
                  // Whichever thread applied the CRD, every caller resolves its kind afterwards.
                  while (true) {
                    try {
                      division.resolve("wd");
                      return null;
                    } catch (DivisionException e) {
                      Thread.onSpinWait();
                    }
                  }
                }));
      }
      start.countDown();
      for (Future<?> f : futures) f.get(60, TimeUnit.SECONDS);
      assertThat(division.store().list(ListQuery.all("Approval")).items()).hasSize(threads * each);
      assertThat(division.resolve("widgets").kind()).isEqualTo("Widget");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aKindStoredByAnotherProcessIsResolvedWithoutReopening() throws Exception {
    Map<String, String> env = Map.of("DIVISION_HOME", home.toString());
    try (Division longLived = Division.open(DivConfig.discover(null, env, home));
        Division other = Division.open(DivConfig.discover(null, env, home))) {
      assertThat(longLived.kinds().find("widget")).isEmpty();
      other.apply(ManifestReader.read("crd.yaml", CRD), null);
      assertThat(longLived.resolve("widget").kind()).isEqualTo("Widget");
    }
  }
}
