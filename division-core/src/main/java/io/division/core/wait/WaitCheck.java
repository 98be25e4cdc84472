package io.division.core.wait;

import com.fasterxml.jackson.databind.JsonNode;
import io.division.core.approval.Approvals;
import io.division.core.condition.Condition;
import io.division.core.kind.BuiltinKinds;
import io.division.core.model.Resource;
import io.division.core.store.Store;
import java.time.Clock;
import java.time.Instant;

/**
 * Judges a wait against the store now: one read, no waiting. A caller with many waits (a pipeline
 * plugin with hundreds of builds) calls it per spec from one thread, or registers them with {@link
 * SharedWaits}, which reads once per kind instead of once per wait.
 */
public final class WaitCheck {
  private WaitCheck() {}

  /**
   * Reads the awaited resource once and judges it. A resource absent now that the spec saw before
   * (its {@code lastSeenVersion} is set) was deleted.
   *
   * @throws io.division.core.DivisionException INVALID when a condition cannot be evaluated on this
   *     resource (a kubectl jsonpath that meets an object), or the store's own errors
   */
  public static WaitStatus check(Store store, WaitSpec spec, Clock clock) {
    Resource current = store.find(spec.key()).orElse(null);
    return judge(spec, current, clock.instant());
  }

  /**
   * Judges one observed state of the awaited resource ({@code current} null: absent) at {@code
   * now}. The spec in the result is advanced to the state's resourceVersion.
   */
  static WaitStatus judge(WaitSpec spec, Resource current, Instant now) {
    if (current != null && BuiltinKinds.APPROVAL.equals(current.kind())) {
      // An approval is judged from its decisions (and the waiter's own keys), never from a
      // status.phase that any store writer can set.
      current = Approvals.effective(current, now, spec.trust());
    }
    WaitSpec seen = current == null ? spec : spec.seenAt(current.resourceVersion());
    switch (seen.mode()) {
      case DELETE:
        if (current == null) return WaitStatus.met(seen, null);
        break;
      case CREATE:
        if (current != null) return WaitStatus.met(seen, current);
        break;
      case CONDITIONS:
        if (current == null) {
          if (spec.lastSeenVersion() != null) return WaitStatus.deleted(seen, null);
          break;
        }
        JsonNode json = current.toJson();
        for (String text : seen.failWhen()) {
          Condition fail = WaitConditions.parse(text);
          if (fail.test(json)) return WaitStatus.failed(seen, current, fail.describe());
        }
        boolean all = true;
        for (String text : seen.until()) {
          if (!WaitConditions.parse(text).test(json)) {
            all = false;
            break;
          }
        }
        if (all) return WaitStatus.met(seen, current);
        break;
    }
    return timedOut(seen, now)
        ? WaitStatus.timedOut(seen, current)
        : WaitStatus.notYet(seen, current);
  }

  static boolean timedOut(WaitSpec spec, Instant now) {
    return spec.deadline() != null && !now.isBefore(spec.deadline());
  }
}
