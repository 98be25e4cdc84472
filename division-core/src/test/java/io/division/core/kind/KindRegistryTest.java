package io.division.core.kind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.division.core.manifest.ManifestReader;
import io.division.core.model.Resource;
import java.util.List;
import org.junit.jupiter.api.Test;

class KindRegistryTest {
  private static KindDefinition crd(String yaml) {
    return KindDefinition.fromCrd(
        Resource.fromJson(ManifestReader.read("crd.yaml", yaml).get(0).node()));
  }

  @Test
  void pluralsAreDerivedTheWayKubernetesDerivesThem() {
    assertThat(KindDefinition.pluralize("cluster")).isEqualTo("clusters");
    assertThat(KindDefinition.pluralize("policy")).isEqualTo("policies");
    assertThat(KindDefinition.pluralize("gateway")).isEqualTo("gateways");
    assertThat(KindDefinition.pluralize("class")).isEqualTo("classes");
    assertThat(KindDefinition.pluralize("box")).isEqualTo("boxes");
  }

  @Test
  void builtInKindsResolveByAnyOfTheirNames() {
    KindRegistry r = KindRegistry.builtins();
    for (String name :
        List.of(
            "Approval",
            "approvals",
            "APPROVAL",
            "crd",
            "customresourcedefinitions",
            "app",
            "deploy",
            "inst",
            "clusters")) {
      assertThat(r.find(name)).as(name).isPresent();
    }
    assertThat(r.resolve("cluster").scope()).isEqualTo(Scope.CLUSTER);
    assertThat(r.resolve("apps").kind()).isEqualTo("Application");
  }

  @Test
  void anUnknownNameIsAClearError() {
    assertThatThrownBy(() -> KindRegistry.builtins().resolve("widgets"))
        .hasMessage(
            "the store doesn't have a resource type \"widgets\" (apply its CustomResourceDefinition first)");
  }

  @Test
  void aTypoSuggestsTheNearestKind() {
    assertThatThrownBy(() -> KindRegistry.builtins().resolve("aprovals"))
        .hasMessage(
            "the store doesn't have a resource type \"aprovals\"; did you mean \"approvals\"?");
    assertThatThrownBy(() -> KindRegistry.builtins().resolve("Instal"))
        .hasMessageContaining("did you mean \"installs\"?");
  }

  @Test
  void aV1CrdWithVersionsGivesItsSchemaAndColumns() {
    KindDefinition d =
        crd(
            """
        kind: CustomResourceDefinition
        metadata: {name: widgets.example.com}
        spec:
          scope: Cluster
          names: {kind: Widget, plural: widgets, singular: widget, shortNames: [WD]}
          versions:
          - name: v1
            schema:
              openAPIV3Schema: {type: object}
            additionalPrinterColumns:
            - {name: Size, type: integer, jsonPath: .spec.size}
        """);
    assertThat(d.scope()).isEqualTo(Scope.CLUSTER);
    assertThat(d.shortNames()).containsExactly("wd");
    assertThat(d.printerColumns()).extracting(PrinterColumn::name).containsExactly("Size");
    assertThat(d.schema().path("type").asText()).isEqualTo("object");
  }

  @Test
  void aCrdForABuiltInKindAddsNamesAndColumnsButKeepsItsScope() {
    KindRegistry r =
        new KindRegistry(
            List.of(
                crd(
                    "kind: CustomResourceDefinition\nmetadata: {name: cluster}\nspec: {names: {kind: Cluster, shortNames: [cl]}, additionalPrinterColumns: [{name: Region, jsonPath: .spec.region}]}\n")));
    KindDefinition cluster = r.resolve("cl");
    assertThat(cluster.scope()).isEqualTo(Scope.CLUSTER);
    assertThat(cluster.printerColumns()).extracting(PrinterColumn::name).containsExactly("Region");
  }

  @Test
  void aCrdWithoutNamesOrWithABadScopeIsRejected() {
    assertThatThrownBy(() -> crd("kind: CustomResourceDefinition\nmetadata: {name: x}\nspec: {}\n"))
        .hasMessageContaining("spec.names is required");
    assertThatThrownBy(
            () ->
                crd(
                    "kind: CustomResourceDefinition\nmetadata: {name: x}\nspec: {names: {kind: X}, scope: Global}\n"))
        .hasMessageContaining("spec.scope must be Namespaced or Cluster");
  }

  @Test
  void schemaViolationsNameThePath() {
    KindDefinition d =
        crd(
            """
        kind: CustomResourceDefinition
        metadata: {name: w}
        spec:
          names: {kind: W}
          openAPIV3Schema:
            type: object
            properties:
              spec: {type: object, properties: {size: {type: integer}}}
        """);
    Resource bad =
        Resource.fromJson(
            "{\"kind\":\"W\",\"metadata\":{\"name\":\"x\"},\"spec\":{\"size\":\"big\"}}");
    assertThat(SchemaValidator.validate(d.schema(), bad.toJson()))
        .singleElement()
        .asString()
        .contains("size")
        .contains("integer");
    Resource good =
        Resource.fromJson("{\"kind\":\"W\",\"metadata\":{\"name\":\"x\"},\"spec\":{\"size\":3}}");
    assertThat(SchemaValidator.validate(d.schema(), good.toJson())).isEmpty();
  }
}
