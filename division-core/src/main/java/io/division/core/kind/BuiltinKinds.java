package io.division.core.kind;

import java.util.List;

/** The kinds Division itself uses; always known, whatever the configuration. */
public final class BuiltinKinds {
  public static final String PROJECT = "Project";
  public static final String APPLICATION = "Application";
  public static final String DEPLOYMENT = "Deployment";
  public static final String RELEASE = "Release";
  public static final String INSTALL = "Install";
  public static final String CLUSTER = "Cluster";
  public static final String APPROVAL = "Approval";

  private BuiltinKinds() {}

  private static PrinterColumn col(String name, String path) {
    return new PrinterColumn(name, "string", path, 0);
  }

  public static final List<KindDefinition> ALL =
      List.of(
          new KindDefinition(
              KindDefinition.CRD_KIND,
              null,
              null,
              List.of("crd", "crds"),
              Scope.CLUSTER,
              List.of(col("KIND", ".spec.names.kind"), col("SCOPE", ".spec.scope")),
              null),
          new KindDefinition(
              PROJECT,
              null,
              null,
              List.of("proj"),
              Scope.CLUSTER,
              List.of(col("REPO", ".spec.repo")),
              null),
          new KindDefinition(
              APPLICATION,
              null,
              null,
              List.of("app", "apps"),
              Scope.NAMESPACED,
              List.of(col("PROJECT", ".spec.project"), col("REPO", ".spec.repo")),
              null),
          new KindDefinition(
              DEPLOYMENT,
              null,
              null,
              List.of("deploy"),
              Scope.NAMESPACED,
              List.of(col("APP", ".spec.app"), col("REF", ".spec.ref")),
              null),
          new KindDefinition(
              RELEASE,
              null,
              null,
              List.of("rel"),
              Scope.NAMESPACED,
              List.of(
                  col("CLUSTER", ".spec.cluster"),
                  col("REF", ".status.ref"),
                  col("ATTEMPT", ".status.attempt"),
                  col("OUTCOME", ".status.outcome")),
              null),
          new KindDefinition(
              INSTALL,
              null,
              null,
              List.of("inst"),
              Scope.NAMESPACED,
              List.of(
                  col("CLUSTER", ".spec.cluster"),
                  col("REF", ".spec.ref"),
                  col("PHASE", ".status.phase")),
              null),
          new KindDefinition(
              CLUSTER,
              null,
              null,
              List.of(),
              Scope.CLUSTER,
              // STATUS (READY or STALE) and HEARTBEAT (its age) are computed by the table printer.
              List.of(
                  col("EXECUTOR", ".status.executor"),
                  new PrinterColumn("LEADER", "string", ".status.leader", 1),
                  new PrinterColumn("VERSION", "string", ".status.version", 1)),
              null),
          new KindDefinition(
              APPROVAL,
              null,
              null,
              List.of(),
              Scope.NAMESPACED,
              List.of(
                  col("PHASE", ".status.phase"),
                  col("APPROVED", ".status.approved"),
                  col("BY", ".status.approvedBy"),
                  col("REQUESTED-BY", ".spec.requester"),
                  col("EXPIRES", ".spec.expiresAt")),
              null));
}
