package io.division.jenkins;

import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import hudson.model.Result;
import hudson.model.TaskListener;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jenkinsci.plugins.workflow.steps.BodyInvoker;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/**
 * A StepContext as a pipeline gives one to a step, outside Jenkins: a build log, the outcome, and
 * saveState(). Like Jenkins' own context it survives Java serialization: a deserialized copy finds
 * the same build (log and outcome) by id, as a resumed execution finds its build after a restart.
 * It offers no Run and no workspace (those stand-ins cannot exist outside Jenkins).
 */
final class FakeStepContext extends StepContext {
  private static final long serialVersionUID = 1L;
  private static final Map<String, Build> BUILDS = new ConcurrentHashMap<>();

  /** What one step's build holds: its log and the step's outcome. */
  static final class Build implements TaskListener {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final PrintStream logger = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    final CompletableFuture<Object> outcome = new CompletableFuture<>();
    final AtomicInteger saves = new AtomicInteger();
    final AtomicInteger completions = new AtomicInteger();

    @Override
    public PrintStream getLogger() {
      return logger;
    }

    String log() {
      synchronized (bytes) {
        return bytes.toString(StandardCharsets.UTF_8);
      }
    }
  }

  private final String id;

  FakeStepContext() {
    this.id = UUID.randomUUID().toString();
    BUILDS.put(id, new Build());
  }

  Build build() {
    return BUILDS.get(id);
  }

  String log() {
    return build().log();
  }

  CompletableFuture<Object> outcome() {
    return build().outcome;
  }

  void forget() {
    BUILDS.remove(id);
  }

  @Override
  public <T> T get(Class<T> key) {
    if (key == TaskListener.class) return key.cast(build());
    return null;
  }

  @Override
  public void onSuccess(Object result) {
    build().completions.incrementAndGet();
    build().outcome.complete(result);
  }

  @Override
  public void onFailure(Throwable t) {
    build().completions.incrementAndGet();
    build().outcome.completeExceptionally(t);
  }

  @Override
  public boolean isReady() {
    return true;
  }

  @Override
  public ListenableFuture<Void> saveState() {
    build().saves.incrementAndGet();
    return Futures.immediateFuture(null);
  }

  @Override
  public void setResult(Result r) {
    throw new UnsupportedOperationException("the Division steps never set a build result");
  }

  @Override
  public BodyInvoker newBodyInvoker() {
    throw new IllegalStateException("the Division steps take no body");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FakeStepContext other && other.id.equals(id);
  }

  @Override
  public int hashCode() {
    return id.hashCode();
  }
}
