package io.division.jenkins;

import hudson.model.TaskListener;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;

/**
 * A step that runs as short tasks on the runtime's scheduler (Jenkins' shared Timer) instead of a
 * thread of its own: {@link #start()} only schedules, each task does one non-blocking pass and
 * schedules the next, {@link #stop} cancels, {@link #onResume()} re-arms from the serialized fields
 * after a restart. No task ever sleeps or waits, so hundreds of such steps share a few threads, and
 * none needs an executor ({@code node {}}).
 *
 * <p>Subclasses keep their resumable state in serializable fields and everything live (scheduled
 * tasks, handles) in transient ones; the outcome is reported exactly once through {@link
 * #succeed}/{@link #fail}.
 */
abstract class TimerStepExecution extends StepExecution {
  private static final long serialVersionUID = 1L;

  /** Set once the outcome has been reported (or the step was stopped); persisted. */
  private volatile boolean finished;

  private transient volatile ScheduledFuture<?> next;

  TimerStepExecution(StepContext context) {
    super(context);
  }

  /** One pass: called on the scheduler; must not block. */
  abstract void pass() throws Exception;

  /** Called once when the step ends for any reason, before the outcome is reported. */
  void release() {}

  final boolean isFinished() {
    return finished;
  }

  /** Runs {@link #pass()} after {@code delay}; a pass that throws fails the step. */
  final void schedule(Duration delay) {
    if (finished) return;
    try {
      next =
          StepRuntime.current()
              .timer()
              .schedule(this::runPass, Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // The Timer is shutting down with the controller: the step is not over, it resumes from its
      // saved fields after the restart (onResume).
    }
  }

  private void runPass() {
    if (finished) return;
    try {
      pass();
    } catch (RejectedExecutionException e) {
      // As in schedule(): the controller is going down; the step resumes after the restart.
    } catch (Throwable t) {
      fail(t);
    }
  }

  final void cancelScheduled() {
    ScheduledFuture<?> f = next;
    if (f != null) f.cancel(false);
  }

  final synchronized boolean claimEnd() {
    if (finished) return false;
    finished = true;
    return true;
  }

  final void succeed(Object result) {
    if (!claimEnd()) return;
    cancelScheduled();
    release();
    getContext().onSuccess(result);
  }

  final void fail(Throwable cause) {
    if (!claimEnd()) return;
    cancelScheduled();
    release();
    getContext().onFailure(cause);
  }

  @Override
  public boolean start() {
    schedule(Duration.ZERO);
    return false;
  }

  @Override
  public void stop(Throwable cause) {
    fail(cause);
  }

  @Override
  public void onResume() {
    if (!finished) schedule(Duration.ZERO);
  }

  @Override
  public boolean blocksRestart() {
    return false;
  }

  final PrintStream logger() throws Exception {
    return getContext().get(TaskListener.class).getLogger();
  }

  /** Saves the step's fields with the build, so a restart resumes from them. */
  final void save() {
    getContext().saveState();
  }
}
