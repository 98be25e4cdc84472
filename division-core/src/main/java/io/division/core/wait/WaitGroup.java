package io.division.core.wait;

import io.division.core.DivisionException;
import io.division.core.model.Resource;
import io.division.core.model.ResourceKey;
import io.division.core.selector.LabelSelector;
import io.division.core.store.ListQuery;
import io.division.core.store.RelistingWatch;
import io.division.core.store.ResourceList;
import io.division.core.store.Store;
import io.division.core.store.WatchEvent;
import io.division.core.store.WatchQuery;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The waits on one kind (and namespace, or all namespaces) that share one watch. {@link #step} does
 * one pass and never waits: read what is new for waits added since the last pass (one list when
 * many were added at once), read the watch once, judge every affected wait, and time out the ones
 * past their deadline. The watch is opened before any read, so no change falls between.
 *
 * <p>Driven by one thread at a time ({@link WaitSession}'s, or a {@link SharedWaits} task); {@link
 * #add} and {@link Waiting#end} may be called from any thread.
 */
final class WaitGroup implements AutoCloseable {
  /** Above this many waits added at once, one list of the kind is cheaper than a read each. */
  private static final int LIST_THRESHOLD = 8;

  /** Bounds one pass, so that a burst of changes cannot hold a shared thread for long. */
  private static final int MAX_EVENTS_PER_STEP = 10_000;

  /** What a group tells about one wait. Calls come from the thread running {@link #step}. */
  interface Observer {
    void seen(Resource resource);

    void ended(WaitStatus status);
  }

  /** One wait in a group: its spec as advanced so far, and whether it has ended. */
  static final class Waiting {
    private final Observer observer;
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile WaitSpec spec;
    private volatile Resource last;
    private volatile WaitStatus status;

    Waiting(WaitSpec spec, Observer observer) {
      this.spec = spec;
      this.observer = observer;
    }

    WaitSpec spec() {
      return spec;
    }

    Resource last() {
      return last;
    }

    boolean ended() {
      return ended.get();
    }

    /** How the wait ended, or NOT_YET with what was last seen while it runs. */
    WaitStatus finalStatus() {
      WaitStatus s = status;
      return s != null ? s : WaitStatus.notYet(spec, last);
    }

    /** Ends the wait with {@code status} unless it has already ended; true if this call did. */
    boolean end(WaitStatus status) {
      if (!ended.compareAndSet(false, true)) return false;
      spec = status.spec();
      this.status = status;
      observer.ended(status);
      return true;
    }

    private void judge(Resource current, Instant now) {
      WaitStatus status;
      try {
        status = WaitCheck.judge(spec, current, now);
      } catch (DivisionException e) {
        // A condition that cannot be evaluated on this resource will not become true later.
        status = new WaitStatus(WaitStatus.State.FAILED, current, e.getMessage(), spec);
      }
      // The judged view (an approval as its decisions make it), so a timeout can say why.
      if (current != null) last = status.resource() != null ? status.resource() : current;
      if (status.ended()) {
        end(status);
      } else {
        spec = status.spec();
      }
    }
  }

  private final Store store;
  private final String kind;
  private final String namespace;
  private final ConcurrentLinkedQueue<Waiting> added = new ConcurrentLinkedQueue<>();
  private final Map<ResourceKey, List<Waiting>> active = new HashMap<>();
  private RelistingWatch watch;
  private ResourceList relisted;

  /** {@code namespace} null: waits in every namespace of the kind. */
  WaitGroup(Store store, String kind, String namespace) {
    this.store = store;
    this.kind = kind;
    this.namespace = namespace;
  }

  void add(Waiting waiting) {
    added.add(waiting);
  }

  /** True when no wait is left, running or newly added. Only from the stepping thread. */
  boolean isEmpty() {
    return active.isEmpty() && added.isEmpty();
  }

  /** The waits not yet ended, including those added since the last pass. Stepping thread only. */
  List<Waiting> waiting() {
    List<Waiting> out = new ArrayList<>();
    for (List<Waiting> ws : active.values()) out.addAll(ws);
    out.addAll(added);
    out.removeIf(Waiting::ended);
    return out;
  }

  /** One pass; see the class comment. */
  void step(Instant now) throws InterruptedException {
    if (watch == null) {
      watch =
          new RelistingWatch(
              store,
              new WatchQuery(kind, namespace, LabelSelector.everything(), null),
              list -> relisted = list);
    }
    readAdded(now);
    for (int n = 0; n < MAX_EVENTS_PER_STEP; n++) {
      WatchEvent event = watch.poll(Duration.ZERO);
      if (relisted != null) {
        judgeRelisted(relisted, now);
        relisted = null;
      }
      if (event == null) break;
      List<Waiting> ws = active.get(event.resource().key());
      if (ws == null) continue;
      boolean gone = event.type() == WatchEvent.Type.DELETED;
      for (Waiting w : List.copyOf(ws)) {
        if (w.ended() || !newer(event.resourceVersion(), w.spec.lastSeenVersion())) continue;
        if (!gone) w.observer.seen(event.resource());
        w.judge(gone ? null : event.resource(), now);
      }
    }
    for (List<Waiting> ws : active.values()) {
      for (Waiting w : ws) {
        if (!w.ended() && WaitCheck.timedOut(w.spec, now))
          w.end(WaitStatus.timedOut(w.spec, w.last));
      }
    }
    active
        .values()
        .removeIf(
            ws -> {
              ws.removeIf(Waiting::ended);
              return ws.isEmpty();
            });
  }

  private void readAdded(Instant now) {
    List<Waiting> fresh = new ArrayList<>();
    for (Waiting w; (w = added.poll()) != null; ) if (!w.ended()) fresh.add(w);
    if (fresh.isEmpty()) return;
    // Many waits added at once in one namespace are read with one list of it, not a get each.
    Map<String, Integer> perNamespace = new HashMap<>();
    for (Waiting w : fresh) perNamespace.merge(w.spec.key().namespace(), 1, Integer::sum);
    Map<ResourceKey, Resource> listed = new HashMap<>();
    for (Map.Entry<String, Integer> e : perNamespace.entrySet()) {
      if (e.getValue() < LIST_THRESHOLD) continue;
      String ns = e.getKey().isEmpty() ? null : e.getKey();
      for (Resource r : store.list(new ListQuery(kind, ns, null)).items()) listed.put(r.key(), r);
    }
    for (Waiting w : fresh) {
      ResourceKey key = w.spec.key();
      Optional<Resource> current =
          perNamespace.get(key.namespace()) >= LIST_THRESHOLD
              ? Optional.ofNullable(listed.get(key))
              : store.find(key);
      current.ifPresent(w.observer::seen);
      w.judge(current.orElse(null), now);
      if (!w.ended()) active.computeIfAbsent(key, k -> new ArrayList<>()).add(w);
    }
  }

  /** After a relist, a wait whose resource is no longer listed learns that it is gone. */
  private void judgeRelisted(ResourceList list, Instant now) {
    Map<ResourceKey, Resource> byKey = new HashMap<>();
    for (Resource r : list.items()) byKey.put(r.key(), r);
    for (List<Waiting> ws : active.values()) {
      for (Waiting w : ws) {
        if (!w.ended() && !byKey.containsKey(w.spec.key())) w.judge(null, now);
      }
    }
  }

  private static boolean newer(String version, String than) {
    if (than == null) return true;
    try {
      return Long.parseLong(version) > Long.parseLong(than);
    } catch (NumberFormatException e) {
      return !version.equals(than);
    }
  }

  @Override
  public void close() {
    if (watch != null) watch.close();
    watch = null;
  }
}
