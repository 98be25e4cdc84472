package io.division.core.store;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A watch that survives falling behind: when the store no longer keeps the changes after its
 * position (GONE), it lists the current state, reports the objects that changed meanwhile as
 * MODIFIED events, and watches on from the list's version, as Kubernetes clients relist. The one
 * place this rule lives; {@code get --watch}, waits and shared waits all use it. A watch that has
 * not seen any event yet reports every listed object.
 *
 * <p>Objects deleted while the watch was behind produce no event: a caller that must know (a wait
 * on one resource) looks at the list it is given through {@code onRelist}.
 */
public final class RelistingWatch implements Watch {
  private final Store store;
  private final WatchQuery query;
  private final Consumer<ResourceList> onRelist;
  private final ArrayDeque<WatchEvent> pending = new ArrayDeque<>();
  private Watch inner;
  private String position;
  private int relists;

  /**
   * @param query what to watch; its {@code fromResourceVersion} is where to start (null: now)
   * @param onRelist told of each relist, before its events are delivered
   */
  public RelistingWatch(Store store, WatchQuery query, Consumer<ResourceList> onRelist) {
    this.store = Objects.requireNonNull(store);
    this.query = Objects.requireNonNull(query);
    this.onRelist = onRelist == null ? list -> {} : onRelist;
    this.position = query.fromResourceVersion();
    open();
  }

  /** How many times the watch had to relist (for tests and metrics). */
  public int relists() {
    return relists;
  }

  /**
   * The next event, or null when none arrived within {@code timeout}; {@link Duration#ZERO} reads
   * the store once and never waits.
   */
  @Override
  public WatchEvent poll(Duration timeout) throws InterruptedException {
    if (!pending.isEmpty()) return pending.poll();
    if (inner == null) open();
    if (inner == null) return pending.poll();
    try {
      WatchEvent event = inner.poll(timeout);
      if (event != null) position = event.resourceVersion();
      return event;
    } catch (StoreException e) {
      if (!e.is(StoreException.Reason.GONE)) throw e;
      relist();
      return pending.poll();
    }
  }

  private void open() {
    try {
      inner =
          store.watch(new WatchQuery(query.kind(), query.namespace(), query.selector(), position));
    } catch (StoreException e) {
      if (!e.is(StoreException.Reason.GONE)) throw e;
      relist();
    }
  }

  private void relist() {
    if (inner != null) inner.close();
    inner = null;
    relists++;
    ResourceList list =
        store.list(new ListQuery(query.kind(), query.namespace(), query.selector()));
    onRelist.accept(list);
    // Without a position (watching "from now", no event yet) nothing tells which objects changed
    // meanwhile: every listed object is reported, as a relisting client sees them all.
    long after = position == null ? Long.MIN_VALUE : version(position);
    for (var r : list.items()) {
      if (version(r.resourceVersion()) > after)
        pending.add(new WatchEvent(WatchEvent.Type.MODIFIED, r));
    }
    position = list.resourceVersion();
    inner =
        store.watch(new WatchQuery(query.kind(), query.namespace(), query.selector(), position));
  }

  private static long version(String v) {
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }

  @Override
  public void close() {
    if (inner != null) inner.close();
    inner = null;
  }
}
