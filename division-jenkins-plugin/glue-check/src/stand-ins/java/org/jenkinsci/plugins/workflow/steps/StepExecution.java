/*
 * STAND-IN, compiled only by division-jenkins-plugin/glue-check, never packaged or shipped.
 * Mirrors jenkinsci/workflow-step-api-plugin @ 0773c3c68734763741f08807407123c17a546ea2 (2025-11-17; its pom: baseline 2.479, plugin parent 5.28)
 *   src/main/java/org/jenkinsci/plugins/workflow/steps/StepExecution.java
 * Same package, name, type parameters and signatures for the members below; members, supertypes
 * and annotations the Division glue does not use are left out.
 * The constructor, getContext(), stop(), onResume(), getStatus() and blocksRestart() behave as
 * the real ones do (they are a field and defaults there too), so fake-context tests can drive
 * executions.
 */
package org.jenkinsci.plugins.workflow.steps;

import java.io.Serializable;

public abstract class StepExecution implements Serializable {
  private static final long serialVersionUID = 1L;

  private StepContext context;

  protected StepExecution(StepContext context) {
    this.context = context;
  }

  public StepContext getContext() {
    if (context == null) throw new IllegalStateException("no StepContext");
    return context;
  }

  public abstract boolean start() throws Exception;

  public void stop(Throwable cause) throws Exception {
    getContext().onFailure(cause);
  }

  public void onResume() {}

  public String getStatus() {
    return null;
  }

  public boolean blocksRestart() {
    return false;
  }
}
