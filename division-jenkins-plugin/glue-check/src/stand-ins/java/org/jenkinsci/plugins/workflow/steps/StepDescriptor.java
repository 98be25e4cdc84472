/*
 * STAND-IN, compiled only by division-jenkins-plugin/glue-check, never packaged or shipped.
 * Mirrors jenkinsci/workflow-step-api-plugin @ 0773c3c68734763741f08807407123c17a546ea2 (2025-11-17; its pom: baseline 2.479, plugin parent 5.28)
 *   src/main/java/org/jenkinsci/plugins/workflow/steps/StepDescriptor.java
 * Same package, name, type parameters and signatures for the members below; members, supertypes
 * and annotations the Division glue does not use are left out.
 */
package org.jenkinsci.plugins.workflow.steps;

import hudson.model.Descriptor;
import java.util.Set;

public abstract class StepDescriptor extends Descriptor<Step> {
  public abstract Set<? extends Class<?>> getRequiredContext();

  public abstract String getFunctionName();

  public boolean takesImplicitBlockArgument() {
    throw new UnsupportedOperationException("stand-in");
  }
}
