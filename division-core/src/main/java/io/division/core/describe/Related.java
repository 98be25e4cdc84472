package io.division.core.describe;

import io.division.core.deploy.DeployNames;
import io.division.core.kind.BuiltinKinds;
import io.division.core.model.Resource;
import io.division.core.model.ResourceKey;
import io.division.core.selector.LabelSelector;
import io.division.core.store.ListQuery;
import io.division.core.store.Store;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The resources that belong with one resource in the deploy model, for {@code describe}: an
 * Install's Release and Deployment; a Release's Install and Deployment; a Deployment's Releases and
 * Installs, per cluster. Names follow {@link DeployNames}; Installs are found by their {@code
 * division.io/app} label.
 */
public final class Related {
  /**
   * One related resource: how it relates, its key, and the resource (empty if it does not exist).
   */
  public record Link(
      String relation, String cluster, ResourceKey key, Optional<Resource> resource) {}

  private Related() {}

  public static List<Link> of(Store store, Resource r) {
    String ns = r.namespace();
    List<Link> links = new ArrayList<>();
    switch (r.kind()) {
      case BuiltinKinds.INSTALL -> {
        String app = r.specText("app");
        String cluster = r.specText("cluster");
        if (app != null && cluster != null)
          links.add(
              link(
                  store,
                  "Release",
                  cluster,
                  BuiltinKinds.RELEASE,
                  ns,
                  DeployNames.releaseName(app, cluster)));
        if (app != null)
          links.add(link(store, "Deployment", null, BuiltinKinds.DEPLOYMENT, ns, app));
      }
      case BuiltinKinds.RELEASE -> {
        String install = r.statusText("install");
        if (install != null && !install.isBlank())
          links.add(
              link(store, "Install", r.specText("cluster"), BuiltinKinds.INSTALL, ns, install));
        String app = r.specText("app");
        if (app != null)
          links.add(link(store, "Deployment", null, BuiltinKinds.DEPLOYMENT, ns, app));
      }
      case BuiltinKinds.DEPLOYMENT -> {
        LabelSelector ofApp = LabelSelector.parse("division.io/app=" + r.name());
        List<Resource> related = new ArrayList<>();
        related.addAll(store.list(new ListQuery(BuiltinKinds.RELEASE, ns, ofApp)).items());
        related.addAll(store.list(new ListQuery(BuiltinKinds.INSTALL, ns, ofApp)).items());
        related.sort(
            Comparator.comparing((Resource x) -> String.valueOf(x.specText("cluster")))
                .thenComparing(x -> x.kind().equals(BuiltinKinds.RELEASE) ? 0 : 1)
                .thenComparing(
                    x ->
                        x.metadata().creationTimestamp() == null
                            ? ""
                            : x.metadata().creationTimestamp()));
        for (Resource x : related)
          links.add(new Link(x.kind(), x.specText("cluster"), x.key(), Optional.of(x)));
      }
      default -> {}
    }
    return links;
  }

  private static Link link(
      Store store, String relation, String cluster, String kind, String ns, String name) {
    ResourceKey key = new ResourceKey(kind, ns, name);
    return new Link(relation, cluster, key, store.find(key));
  }
}
