/*
 * STAND-IN, compiled only by division-jenkins-plugin/glue-check, never packaged or shipped.
 * Mirrors jenkinsci/workflow-step-api-plugin @ 0773c3c68734763741f08807407123c17a546ea2 (2025-11-17; its pom: baseline 2.479, plugin parent 5.28)
 *   src/main/java/org/jenkinsci/plugins/workflow/steps/StepContext.java
 * Same package, name, type parameters and signatures for the members below; members, supertypes
 * and annotations the Division glue does not use are left out.
 * FutureCallback and ListenableFuture are Guava's own (from Maven Central), as in the real class.
 */
package org.jenkinsci.plugins.workflow.steps;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.ListenableFuture;
import hudson.model.Result;
import java.io.IOException;
import java.io.Serializable;

public abstract class StepContext implements FutureCallback<Object>, Serializable {
  private static final long serialVersionUID = 1L;

  public abstract <T> T get(Class<T> key) throws IOException, InterruptedException;

  @Override
  public abstract void onSuccess(Object result);

  public abstract boolean isReady();

  public abstract ListenableFuture<Void> saveState();

  public abstract void setResult(Result r);

  public abstract BodyInvoker newBodyInvoker() throws IllegalStateException;

  @Override
  public abstract boolean equals(Object o);

  @Override
  public abstract int hashCode();
}
