package io.division.core.wait;

import io.division.core.condition.Condition;
import io.division.core.model.Resource;
import io.division.core.model.ResourceKey;
import io.division.core.selector.LabelSelector;
import io.division.core.store.Store;
import io.division.core.store.StoreException;
import io.division.core.store.Watch;
import io.division.core.store.WatchEvent;
import io.division.core.store.WatchQuery;
import io.division.core.time.Durations;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * Waits until a resource satisfies conditions: a watch, a condition and a timeout. The watch is
 * opened before the first read, so nothing that happens between the two is missed; a resource that
 * does not exist yet is waited for.
 */
public final class Waiter {
  /** What to wait for. {@code until} must all hold; any {@code failWhen} ends the wait at once. */
  public record Request(
      ResourceKey key,
      List<Condition> until,
      List<Condition> failWhen,
      Mode mode,
      Duration timeout) {
    public Request {
      until = List.copyOf(until);
      failWhen = List.copyOf(failWhen);
      mode = mode == null ? Mode.CONDITIONS : mode;
    }

    /** The text a timeout names: {@code status.phase = 'Approved'}, or "deletion". */
    public String describe() {
      return switch (mode) {
        case DELETE -> "deletion";
        case CREATE -> "creation";
        case CONDITIONS ->
            until.stream().map(Condition::describe).collect(Collectors.joining(" and "));
      };
    }
  }

  /** kubectl's {@code --for delete} and {@code --for create} are about existence, not content. */
  public enum Mode {
    CONDITIONS,
    CREATE,
    DELETE
  }

  /** Told of every version of the resource seen while waiting (for {@code --logs}, progress). */
  public interface Listener {
    void seen(Resource resource);
  }

  private final Store store;

  public Waiter(Store store) {
    this.store = store;
  }

  public WaitOutcome await(Request request, Listener listener, BooleanSupplier cancelled)
      throws InterruptedException {
    return awaitUntil(
        request, System.nanoTime() + request.timeout().toNanos(), listener, cancelled);
  }

  /**
   * As {@link #await}, ending at a {@link System#nanoTime()} deadline: several waits can share one
   * timeout, which messages still quote whole.
   */
  public WaitOutcome awaitUntil(
      Request request, long deadline, Listener listener, BooleanSupplier cancelled)
      throws InterruptedException {
    ResourceKey key = request.key();
    Resource last = null;
    while (true) {
      try (Watch watch =
          store.watch(
              new WatchQuery(key.kind(), key.namespace(), LabelSelector.everything(), null))) {
        Optional<Resource> current = store.find(key);
        long seenVersion = current.map(r -> Long.parseLong(r.resourceVersion())).orElse(0L);
        if (current.isPresent()) {
          last = current.get();
          listener.seen(last);
        }
        WaitOutcome outcome = evaluate(request, current.orElse(null), false);
        if (outcome != null) return outcome;
        while (true) {
          long left = deadline - System.nanoTime();
          if (left <= 0 || cancelled.getAsBoolean()) {
            return WaitOutcome.timedOut(
                last,
                "timed out after "
                    + Durations.format(request.timeout())
                    + " waiting for "
                    + key
                    + (request.mode() == Mode.CONDITIONS ? ": " : " ")
                    + request.describe());
          }
          WatchEvent event = watch.poll(Duration.ofNanos(Math.min(left, 250_000_000L)));
          if (event == null || !event.resource().name().equals(key.name())) continue;
          if (Long.parseLong(event.resourceVersion()) <= seenVersion) continue; // already read
          boolean gone = event.type() == WatchEvent.Type.DELETED;
          last = event.resource();
          if (!gone) listener.seen(last);
          outcome = evaluate(request, gone ? null : last, gone);
          if (outcome != null) return outcome;
        }
      } catch (StoreException e) {
        // The watch fell behind the change log: read again and watch from now.
        if (!e.is(StoreException.Reason.GONE)) throw e;
      }
    }
  }

  private static WaitOutcome evaluate(Request request, Resource r, boolean justDeleted) {
    switch (request.mode()) {
      case DELETE:
        return r == null ? WaitOutcome.matched(null) : null;
      case CREATE:
        return r != null ? WaitOutcome.matched(r) : null;
      default:
        break;
    }
    if (r == null) {
      return justDeleted
          ? WaitOutcome.deleted(
              null, request.key() + " was deleted while waiting for " + request.describe())
          : null;
    }
    var json = r.toJson();
    for (Condition fail : request.failWhen()) {
      if (fail.test(json))
        return WaitOutcome.failed(
            r, request.key() + " met the failure condition: " + fail.describe());
    }
    for (Condition c : request.until()) if (!c.test(json)) return null;
    return WaitOutcome.matched(r);
  }
}
