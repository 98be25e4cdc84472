package io.division.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.division.core.config.DivConfig;
import io.division.core.manifest.ManifestReader;
import io.division.core.model.Json;
import io.division.core.model.Resource;
import io.division.core.model.ResourceKey;
import io.division.core.store.Store;
import io.division.core.store.sqlite.SqliteBackend;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Division#patch}: a patch is held to what an apply of its result would be. */
class DivisionPatchTest {
  private static final String WIDGET_CRD =
      """
      kind: CustomResourceDefinition
      metadata: {name: widgets.example.com}
      spec:
        scope: Namespaced
        names: {kind: Widget}
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              required: [size]
              properties:
                size: {type: integer, minimum: 1}
      """;

  @TempDir Path dir;
  Division division;

  @BeforeEach
  void open() {
    division = open(dir);
    apply(WIDGET_CRD + "---\nkind: Widget\nmetadata: {name: w1}\nspec: {size: 2}\n");
  }

  private static Division open(Path dir) {
    return new Division(
        new DivConfig(null, null, List.of(), dir),
        new Store(SqliteBackend.open(dir.resolve("division.db"))));
  }

  @AfterEach
  void close() {
    division.close();
  }

  private void apply(String yaml) {
    division.apply(ManifestReader.read("test.yaml", yaml), "default");
  }

  private static final ResourceKey W1 = new ResourceKey("Widget", "default", "w1");
  private static final ResourceKey CRD =
      new ResourceKey("CustomResourceDefinition", "", "widgets.example.com");

  @Test
  void aStaleResourceVersionInThePatchIsAConflictAndWritesNothing() {
    String read = division.store().get(W1).resourceVersion();
    Resource first =
        division.patch(
            W1,
            Json.parse(
                "{\"metadata\":{\"resourceVersion\":\"" + read + "\"},\"spec\":{\"size\":3}}"));
    assertThat(first.spec().path("size").asInt()).isEqualTo(3);
    assertThatThrownBy(
            () ->
                division.patch(
                    W1,
                    Json.parse(
                        "{\"metadata\":{\"resourceVersion\":\""
                            + read
                            + "\"},\"spec\":{\"size\":4}}")))
        .isInstanceOf(DivisionException.class)
        .satisfies(
            e ->
                assertThat(((DivisionException) e).reason())
                    .isEqualTo(DivisionException.Reason.CONFLICT))
        .hasMessageContaining("the object has been modified");
    assertThat(division.store().get(W1).spec().path("size").asInt()).isEqualTo(3);
  }

  @Test
  void resourceVersionPinnedIncrementsFromSeveralWritersLoseNothing() throws Exception {
    int writers = 4;
    int each = 15;
    AtomicInteger conflicts = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    List<Future<?>> done = new ArrayList<>();
    List<Division> divisions = new ArrayList<>();
    try {
      for (int w = 0; w < writers; w++) {
        Division mine = open(dir); // a store of its own, as a separate process would have
        divisions.add(mine);
        done.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < each; ) {
                    Resource current = mine.store().get(W1);
                    int size = current.spec().path("size").asInt();
                    try {
                      mine.patch(
                          W1,
                          Json.parse(
                              "{\"metadata\":{\"resourceVersion\":\""
                                  + current.resourceVersion()
                                  + "\"},\"spec\":{\"size\":"
                                  + (size + 1)
                                  + "}}"));
                      i++;
                    } catch (DivisionException e) {
                      if (!e.is(DivisionException.Reason.CONFLICT)) throw e;
                      conflicts.incrementAndGet();
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) f.get();
    } finally {
      pool.shutdownNow();
      divisions.forEach(Division::close);
    }
    assertThat(division.store().get(W1).spec().path("size").asInt()).isEqualTo(2 + writers * each);
  }

  @Test
  void aPatchThatBreaksTheSchemaIsRefusedAndNothingIsWritten() {
    String before = division.store().get(W1).resourceVersion();
    assertThatThrownBy(() -> division.patch(W1, Json.parse("{\"spec\":{\"size\":\"huge\"}}")))
        .isInstanceOf(DivisionException.class)
        .satisfies(
            e ->
                assertThat(((DivisionException) e).reason())
                    .isEqualTo(DivisionException.Reason.INVALID))
        .hasMessageStartingWith("widget/w1: schema: ")
        .hasMessageContaining("spec.size");
    assertThatThrownBy(() -> division.patch(W1, Json.parse("{\"spec\":{\"size\":0}}")))
        .hasMessageContaining("minimum");
    assertThatThrownBy(
            () -> division.patch(W1, Json.parse("{\"metadata\":{\"labels\":{\"a\":\"-bad-\"}}}")))
        .hasMessageContaining("invalid label value");
    assertThat(division.store().get(W1).resourceVersion()).isEqualTo(before);
  }

  @Test
  void aPatchThatWouldBreakACustomResourceDefinitionIsRefused() {
    assertThatThrownBy(() -> division.patch(CRD, Json.parse("{\"spec\":{\"names\":null}}")))
        .isInstanceOf(DivisionException.class)
        .hasMessageContaining("spec.names is required");
    assertThatThrownBy(
            () ->
                division.patch(
                    CRD, Json.parse("{\"spec\":{\"openAPIV3Schema\":{\"type\":\"objekt\"}}}")))
        .hasMessageContaining("spec.openAPIV3Schema is not a valid schema");
    assertThatThrownBy(
            () -> division.patch(CRD, Json.parse("{\"spec\":{\"names\":{\"kind\":\"Gadget\"}}}")))
        .hasMessageContaining(
            "spec.names.kind cannot change from Widget to Gadget while widgets exist");
    // Everything still resolves and reads afterwards.
    assertThat(division.get("widgets", "default", "w1").spec().path("size").asInt()).isEqualTo(2);
    // A change that keeps the kind usable is fine.
    Resource patched =
        division.patch(CRD, Json.parse("{\"spec\":{\"names\":{\"shortNames\":[\"wd\"]}}}"));
    assertThat(patched.spec().path("names").path("shortNames").get(0).asText()).isEqualTo("wd");
    assertThat(division.get("wd", "default", "w1")).isNotNull();
  }

  @Test
  void anApplyOfACrdWithAnInvalidSchemaIsRefused() {
    assertThatThrownBy(
            () ->
                apply(
                    """
                    kind: CustomResourceDefinition
                    metadata: {name: gadgets.example.com}
                    spec:
                      names: {kind: Gadget}
                      openAPIV3Schema:
                        type: object
                        properties: {spec: {type: strin}}
                    """))
        .isInstanceOf(DivisionException.class)
        .hasMessageContaining("spec.openAPIV3Schema is not a valid schema")
        .hasMessageContaining("properties.spec.type");
    assertThatThrownBy(
            () ->
                apply(
                    "kind: CustomResourceDefinition\nmetadata: {name: g.example.com}\n"
                        + "spec: {names: {kind: G}, openAPIV3Schema: [1]}\n"))
        .hasMessageContaining("spec.openAPIV3Schema must be an object");
    assertThat(
            division
                .store()
                .find(new ResourceKey("CustomResourceDefinition", "", "gadgets.example.com")))
        .isEmpty();
  }
}
