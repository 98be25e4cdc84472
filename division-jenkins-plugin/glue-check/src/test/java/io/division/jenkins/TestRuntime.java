package io.division.jenkins;

import hudson.model.Run;
import io.division.core.Division;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/**
 * The steps' surroundings in a test: one embedded store, the test's own scheduler in place of
 * Jenkins' Timer, and a record of the approvals the build page would show.
 */
final class TestRuntime extends StepRuntime implements AutoCloseable {
  final Division division;
  final ScheduledExecutorService timer;
  private final Clock clock;
  final List<ApprovalRequest> waitingApprovals = new CopyOnWriteArrayList<>();
  final List<ApprovalRequest> endedApprovals = new CopyOnWriteArrayList<>();

  TestRuntime(Division division, ScheduledExecutorService timer, Clock clock) {
    this.division = division;
    this.timer = timer;
    this.clock = clock;
    StepRuntime.use(this);
  }

  @Override
  public ScheduledExecutorService timer() {
    return timer;
  }

  @Override
  public Clock clock() {
    return clock;
  }

  @Override
  public Connection connect(StoreChoice choice, Run<?, ?> run) {
    return new Connection(division, choice.namespace());
  }

  @Override
  public void approvalWaiting(StepContext context, ApprovalRequest request) {
    waitingApprovals.add(request);
  }

  @Override
  public void approvalEnded(StepContext context, ApprovalRequest request) {
    endedApprovals.add(request);
  }

  @Override
  public void close() {
    StepRuntime.use(null);
  }
}
