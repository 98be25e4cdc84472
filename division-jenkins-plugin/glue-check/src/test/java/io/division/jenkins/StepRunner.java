package io.division.jenkins;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepExecution;

/** Starts steps as a pipeline would and waits for their outcome (test threads only). */
final class StepRunner {
  private StepRunner() {}

  record Started(StepExecution execution, FakeStepContext context, boolean finishedAtStart) {}

  static Started start(Step step) throws Exception {
    FakeStepContext context = new FakeStepContext();
    StepExecution execution = step.start(context);
    boolean done = execution.start();
    return new Started(execution, context, done);
  }

  static <T extends Step> Started start(Class<T> type, Map<String, ?> args) throws Exception {
    return start(StepBinder.instantiate(type, args));
  }

  /** The step's result; its failure is rethrown as it is. */
  static Object await(FakeStepContext context, Duration timeout) throws Exception {
    try {
      return context.outcome().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception x) throw x;
      throw e;
    }
  }

  static Object run(Step step) throws Exception {
    return await(start(step).context(), Duration.ofSeconds(30));
  }
}
