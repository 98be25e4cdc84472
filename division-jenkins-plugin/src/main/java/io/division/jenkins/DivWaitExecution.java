package io.division.jenkins;

import com.fasterxml.jackson.databind.JsonNode;
import hudson.model.Run;
import io.division.core.DivisionException;
import io.division.core.approval.Approvals;
import io.division.core.approval.sshsig.AllowedSigners;
import io.division.core.kind.BuiltinKinds;
import io.division.core.kind.KindDefinition;
import io.division.core.model.Resource;
import io.division.core.model.ResourceKey;
import io.division.core.store.LogLine;
import io.division.core.time.Durations;
import io.division.core.wait.SharedWaits;
import io.division.core.wait.WaitListener;
import io.division.core.wait.WaitSpec;
import io.division.core.wait.WaitStatus;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/**
 * The running {@code divWait}. Persisted: the wait spec (key, conditions, absolute deadline, last
 * resourceVersion seen, the allowed-signers list as read when the wait began), the store choice and
 * the log cursor. Live only: the registration with the store's shared poller and the progress and
 * log tasks, all re-created by {@link #onResume()}.
 *
 * <p>An approval is judged by core exactly as {@code div wait} judges it ({@link
 * io.division.core.wait.WaitCheck}: its decisions, and with an allowed-signers list only those
 * signed by a key it allows for the decider); each decision that does not count is named in the
 * build log once, with the reason, as soon as it is seen.
 */
final class DivWaitExecution extends TimerStepExecution {
  private static final long serialVersionUID = 1L;
  private static final int LOG_PAGE = 1000;
  private static final Duration LOG_EVERY = Duration.ofSeconds(1);

  private volatile WaitSpec spec;
  private final StoreChoice store;
  private final boolean logs;
  private final String approverPermission;
  private final Duration progressEvery;

  /** The step's allowedSigners file; null: the global default, if any. */
  private final String allowedSignersFile;

  /** The file the allowed-signers list was read from, for the log; null: none. */
  private String trustedFrom;

  private final Instant startedAt;
  private volatile boolean resolved;
  private volatile boolean approval;
  private volatile long logCursor;

  private transient volatile SharedWaits.Handle handle;
  private transient volatile ScheduledFuture<?> progress;
  private transient volatile ScheduledFuture<?> logPump;
  private transient volatile Resource last;
  private transient volatile Connection connection;
  private transient volatile Set<String> notCountedLogged;

  DivWaitExecution(
      StepContext context,
      WaitSpec spec,
      StoreChoice store,
      boolean logs,
      String approverPermission,
      Duration progressEvery,
      String allowedSignersFile) {
    super(context);
    this.allowedSignersFile = allowedSignersFile;
    this.spec = spec;
    this.store = store;
    this.logs = logs;
    this.approverPermission = approverPermission;
    this.progressEvery = progressEvery;
    this.startedAt = StepRuntime.current().clock().instant();
  }

  /** The spec advanced to the last version the shared poller saw. */
  WaitSpec spec() {
    SharedWaits.Handle h = handle;
    return h != null ? h.spec() : spec;
  }

  /** Saves the spec as far as the poller has advanced it, so a resumed wait knows what it saw. */
  private void writeObject(ObjectOutputStream out) throws IOException {
    SharedWaits.Handle h = handle;
    if (h != null) spec = h.spec();
    out.defaultWriteObject();
  }

  /** Arms the wait: resolves the key once, registers with the store's shared poller. */
  @Override
  void pass() throws Exception {
    StepRuntime runtime = StepRuntime.current();
    Connection c = runtime.connect(store, getContext().get(Run.class));
    connection = c;
    PrintStream log = logger();
    if (!resolved) {
      KindDefinition kind = c.division().resolve(spec.key().kind());
      ResourceKey key = c.division().key(kind, c.namespace(), spec.key().name());
      String file =
          allowedSignersFile != null ? allowedSignersFile : runtime.defaultAllowedSigners();
      // Read once, here: the list is the waiter's (the pipeline's or the controller's), never the
      // store's, and it stays with the wait across restarts.
      spec = spec.toBuilder().key(key).allowedSigners(readAllowedSigners(file)).build();
      trustedFrom = file;
      approval = key.kind().equals(BuiltinKinds.APPROVAL);
      resolved = true;
      save();
      log.println(DivWaitStep.FUNCTION + ": waiting for " + waitingFor());
    } else {
      log.println(DivWaitStep.FUNCTION + ": resumed waiting for " + waitingFor());
    }
    log.println(DivWaitStep.FUNCTION + ": " + howToGrant());
    if (approval && trustedFrom != null) {
      log.println(
          DivWaitStep.FUNCTION
              + ": decisions count only when signed by a key that "
              + trustedFrom
              + " allows for the decider");
    }
    notCountedLogged = ConcurrentHashMap.newKeySet();
    if (approval) runtime.approvalWaiting(getContext(), approvalRequest());
    if (isFinished()) return; // stopped while arming
    handle =
        runtime
            .waits(c.division())
            .register(
                spec,
                new WaitListener() {
                  @Override
                  public void seen(Resource resource) {
                    last = approval ? judged(resource) : resource;
                  }

                  @Override
                  public void ended(WaitStatus status) {
                    onEnded(status);
                  }
                });
    long every = Math.max(1, progressEvery.toMillis());
    progress =
        runtime
            .timer()
            .scheduleWithFixedDelay(this::progressLine, every, every, TimeUnit.MILLISECONDS);
    if (logs) {
      logPump =
          runtime
              .timer()
              .scheduleWithFixedDelay(
                  this::pumpLogsQuietly, 0, LOG_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void onEnded(WaitStatus status) {
    // A cancel we did not ask for is the store's poller shutting down with Jenkins: the step is
    // not over, it resumes from its saved spec after the restart.
    if (status.state() == WaitStatus.State.CANCELLED || isFinished()) return;
    spec = status.spec();
    try {
      if (logs) pumpLogs();
      PrintStream log = logger();
      if (status.state() == WaitStatus.State.MET) {
        log.println(DivWaitStep.FUNCTION + ": " + spec.describe() + " holds");
        succeed(ResourceMaps.toMap(status.resource()));
      } else {
        fail(DivisionStepException.of(DivWaitStep.FUNCTION, status.failure()));
      }
    } catch (Throwable t) {
      fail(t);
    }
  }

  /**
   * The approval as its decisions make it for this waiter (core's judgement, the same the poller
   * applies), logging each decision that does not count, once, with core's reason.
   */
  private Resource judged(Resource resource) {
    try {
      Resource judged =
          Approvals.effective(resource, StepRuntime.current().clock().instant(), spec().trust());
      JsonNode notes = judged.status() == null ? null : judged.status().get("verification");
      if (notes != null && notes.isArray()) {
        for (JsonNode note : notes) {
          if (notCountedLogged.add(note.asText())) {
            logger().println(DivWaitStep.FUNCTION + ": " + spec.key() + ": " + note.asText());
          }
        }
      }
      return judged;
    } catch (Exception e) {
      // A malformed approval, or no build log to write to: the poller's own judgement of the
      // same resource decides the wait all the same.
      return resource;
    }
  }

  /**
   * The text of an allowed-signers file, checked; null for none. Errors name the file and line but
   * never echo its content: a pipeline names the file, and it lies on the controller.
   */
  private static String readAllowedSigners(String file) throws DivisionStepException {
    if (file == null) return null;
    String text;
    try {
      text = Files.readString(Path.of(file));
    } catch (IOException | InvalidPathException e) {
      throw new DivisionStepException(
          "INVALID",
          DivWaitStep.FUNCTION
              + ": cannot read allowed signers "
              + file
              + " ("
              + e.getClass().getSimpleName()
              + ")");
    }
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      try {
        AllowedSigners.parse(lines[i], file);
      } catch (DivisionException e) {
        throw new DivisionStepException(
            "INVALID",
            DivWaitStep.FUNCTION
                + ": "
                + file
                + " line "
                + (i + 1)
                + " is not an allowed_signers line (principals [namespaces=\"...\"] keytype key)");
      }
    }
    return text;
  }

  @Override
  void release() {
    SharedWaits.Handle h = handle;
    if (h != null && !h.ended()) h.cancel();
    cancel(progress);
    cancel(logPump);
    if (approval) {
      try {
        StepRuntime.current().approvalEnded(getContext(), approvalRequest());
      } catch (Exception e) {
        // The build page keeps its buttons, which then answer that the approval is decided or
        // gone; the step's own outcome matters more than this.
      }
    }
  }

  private static void cancel(ScheduledFuture<?> f) {
    if (f != null) f.cancel(false);
  }

  private ApprovalRequest approvalRequest() {
    return new ApprovalRequest(
        store,
        spec.key().namespace(),
        spec.key().name(),
        approverPermission,
        spec.allowedSigners());
  }

  private String waitingFor() {
    String what = spec.describe();
    if (spec.deadline() == null) return what;
    return what
        + " (times out at "
        + spec.deadline().truncatedTo(ChronoUnit.SECONDS)
        + (spec.timeout() == null ? "" : ", after " + Durations.format(spec.timeout()))
        + ")";
  }

  private String howToGrant() {
    ResourceKey key = spec.key();
    String ns = key.namespace().isEmpty() ? "" : " -n " + key.namespace();
    if (approval) {
      return "approve or reject it on this build's page (Approval "
          + key.name()
          + "), or from a terminal: div approve approval "
          + key.name()
          + ns;
    }
    return "see where it stands with: div get "
        + key.kind().toLowerCase(java.util.Locale.ROOT)
        + " "
        + key.name()
        + ns;
  }

  private void progressLine() {
    if (isFinished()) return;
    try {
      Instant now = StepRuntime.current().clock().instant();
      Resource r = last;
      List<String> notes = new java.util.ArrayList<>();
      if (r == null) notes.add("not seen yet");
      else if (r.statusText("phase") != null) notes.add("phase " + r.statusText("phase"));
      notes.add(Durations.format(elapsed(startedAt, now)) + " so far");
      if (spec.deadline() != null && now.isBefore(spec.deadline())) {
        notes.add("times out in " + Durations.format(elapsed(now, spec.deadline())));
      }
      logger()
          .println(
              DivWaitStep.FUNCTION
                  + ": still waiting for "
                  + spec.describe()
                  + " ("
                  + String.join(", ", notes)
                  + ")");
    } catch (Exception e) {
      // A progress line is a courtesy; a failure to write one never ends the wait.
    }
  }

  private static Duration elapsed(Instant from, Instant to) {
    return Duration.between(from, to).truncatedTo(ChronoUnit.SECONDS);
  }

  private void pumpLogsQuietly() {
    try {
      pumpLogs();
    } catch (Exception e) {
      // The next pump tries again; a store that stays unreachable ends the wait through the poller.
    }
  }

  private synchronized void pumpLogs() throws Exception {
    Connection c = connection;
    if (c == null || !resolved) return;
    PrintStream log = logger();
    while (true) {
      List<LogLine> lines = c.division().store().readLog(spec.key(), logCursor, LOG_PAGE);
      for (LogLine l : lines) {
        log.println("[" + spec.key() + "] " + l.text());
        logCursor = l.seq();
      }
      if (lines.size() < LOG_PAGE) return;
    }
  }

  @Override
  public String getStatus() {
    if (isFinished()) return "finished: " + spec.describe();
    return "waiting for " + waitingFor() + "; " + howToGrant();
  }
}
