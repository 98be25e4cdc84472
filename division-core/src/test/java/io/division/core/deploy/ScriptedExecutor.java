package io.division.core.deploy;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * An executor for core's tests of the deploy protocol, where what runs does not matter but when it
 * ends does: each attempt logs a first line, and ends (logging a last line, succeeding) once its
 * ref is released; refs not starting with "gated" are released at once. The real executors
 * (process, Kubernetes, Brigade) are tested with the gateway that runs them.
 */
final class ScriptedExecutor implements Executor {
  final List<String> started = new CopyOnWriteArrayList<>();
  private final Set<String> released = ConcurrentHashMap.newKeySet();

  void release(String ref) {
    released.add(ref);
  }

  @Override
  public String name() {
    return "scripted";
  }

  @Override
  public Handle start(InstallRun run, Consumer<String> log) {
    started.add(run.ref());
    log.accept("first line of " + run.ref());
    return new Handle() {
      private boolean ended;

      @Override
      public String state() {
        return run.objectName();
      }

      @Override
      public Outcome poll() {
        if (!run.ref().startsWith("gated") || released.contains(run.ref())) {
          if (!ended) log.accept("last line of " + run.ref());
          ended = true;
          return new Outcome(true, "done");
        }
        return null;
      }

      @Override
      public void cancel() {
        ended = true;
      }
    };
  }

  @Override
  public Adoption adopt(InstallRun run, Consumer<String> log) {
    return Adoption.unknown("the scripted executor keeps no records");
  }
}
