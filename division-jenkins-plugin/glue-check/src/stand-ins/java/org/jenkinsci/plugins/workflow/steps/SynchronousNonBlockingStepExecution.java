/*
 * STAND-IN, compiled only by division-jenkins-plugin/glue-check, never packaged or shipped.
 * Mirrors jenkinsci/workflow-step-api-plugin @ 0773c3c68734763741f08807407123c17a546ea2 (2025-11-17; its pom: baseline 2.479, plugin parent 5.28)
 *   src/main/java/org/jenkinsci/plugins/workflow/steps/SynchronousNonBlockingStepExecution.java
 * Same package, name, type parameters and signatures for the members below; members, supertypes
 * and annotations the Division glue does not use are left out.
 * start() runs run() on a pool thread and reports to the context, stop() cancels it, onResume()
 * fails the step and blocksRestart() is true: what the real class does, without its thread
 * renaming and security-context propagation.
 */
package org.jenkinsci.plugins.workflow.steps;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

public abstract class SynchronousNonBlockingStepExecution<T> extends StepExecution {
  private static final long serialVersionUID = 1L;
  private static final ExecutorService POOL = Executors.newCachedThreadPool(
      r -> {
        Thread t = new Thread(r, "SynchronousNonBlockingStepExecution (stand-in)");
        t.setDaemon(true);
        return t;
      });

  private transient volatile Future<?> task;

  protected SynchronousNonBlockingStepExecution(StepContext context) {
    super(context);
  }

  protected abstract T run() throws Exception;

  @Override
  public final boolean start() throws Exception {
    task =
        POOL.submit(
            () -> {
              try {
                getContext().onSuccess(run());
              } catch (Throwable t) {
                getContext().onFailure(t);
              }
            });
    return false;
  }

  @Override
  public void stop(Throwable cause) throws Exception {
    if (task != null) task.cancel(true);
    super.stop(cause);
  }

  @Override
  public void onResume() {
    getContext().onFailure(new Exception("Resume after a restart not supported for non-blocking synchronous steps"));
  }

  @Override
  public boolean blocksRestart() {
    return true;
  }
}
