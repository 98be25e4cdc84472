package io.division.core.deploy;

import io.division.core.DivisionException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One attempt of one install, as an executor receives it: validated values only, handed over as
 * arguments or environment variables, never through a shell.
 */
public record InstallRun(
    String install,
    String objectName,
    String project,
    String app,
    String ref,
    String cluster,
    String namespace,
    int attempt,
    java.time.Instant claimedAt) {

  public InstallRun {
    DeployNames.validateRef(ref);
    for (String v : new String[] {install, objectName, app, cluster, namespace}) {
      if (v == null || !v.matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?")) {
        throw DivisionException.invalid("invalid name \"" + v + "\" for an executor");
      }
    }
    if (project != null && !project.matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?")) {
      throw DivisionException.invalid("invalid project name \"" + project + "\" for an executor");
    }
  }

  /** DIV_PROJECT, DIV_APP, DIV_REF, DIV_CLUSTER, DIV_NAMESPACE, DIV_INSTALL, DIV_ATTEMPT. */
  public Map<String, String> environment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("DIV_PROJECT", project == null ? "" : project);
    env.put("DIV_APP", app);
    env.put("DIV_REF", ref);
    env.put("DIV_CLUSTER", cluster);
    env.put("DIV_NAMESPACE", namespace);
    env.put("DIV_INSTALL", install);
    env.put("DIV_ATTEMPT", Integer.toString(attempt));
    return env;
  }
}
