/*
 * STAND-IN, compiled only by division-jenkins-plugin/glue-check, never packaged or shipped.
 * Mirrors jenkinsci/workflow-step-api-plugin @ 0773c3c68734763741f08807407123c17a546ea2 (2025-11-17; its pom: baseline 2.479, plugin parent 5.28)
 *   src/main/java/org/jenkinsci/plugins/workflow/steps/BodyInvoker.java
 * Same package, name, type parameters and signatures for the members below; members, supertypes
 * and annotations the Division glue does not use are left out.
 * Only named here because StepContext.newBodyInvoker() returns it; the glue never calls it.
 */
package org.jenkinsci.plugins.workflow.steps;

public abstract class BodyInvoker {}
