package io.division.core.store;

import io.division.core.selector.LabelSelector;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;

/**
 * A watch over a backend's ordered change log: read what follows the cursor, then sleep on the
 * backend's change mark (no hot polling). Also turns label changes into Kubernetes' selector
 * semantics: an object that starts matching is ADDED, one that stops matching is DELETED.
 */
public final class PollingWatch implements Watch {
  /** Reads changes of one kind with version greater than {@code after}, oldest first. */
  @FunctionalInterface
  public interface ChangeSource {
    List<Change> changesAfter(long after, int limit);
  }

  /**
   * Changes of one kind after a version, and how far the source looked: a log shared by all kinds
   * can move a watch's cursor past other kinds' changes, so that they are not read again.
   */
  public record Page(List<Change> changes, long through) {}

  /** A source that reports how far it read; see {@link Page}. */
  @FunctionalInterface
  public interface PageSource {
    Page changesAfter(long after, int limit);
  }

  private static final int BATCH = 512;

  private final StoreBackend backend;
  private final PageSource source;
  private final String namespace;
  private final LabelSelector selector;
  private final ArrayDeque<WatchEvent> pending = new ArrayDeque<>();
  private long cursor;
  private volatile boolean closed;

  public PollingWatch(
      StoreBackend backend, ChangeSource source, WatchQuery query, long startAfter) {
    this(
        backend,
        query,
        startAfter,
        (after, limit) -> {
          List<Change> changes = source.changesAfter(after, limit);
          return new Page(
              changes,
              changes.isEmpty() ? after : changes.get(changes.size() - 1).resourceVersion());
        });
  }

  /** A watch over a source that reports how far it read (see {@link Page}). */
  public static PollingWatch paged(
      StoreBackend backend, PageSource source, WatchQuery query, long startAfter) {
    return new PollingWatch(backend, query, startAfter, source);
  }

  private PollingWatch(StoreBackend backend, WatchQuery query, long startAfter, PageSource source) {
    this.backend = backend;
    this.source = source;
    this.namespace = query.namespace();
    this.selector = query.selector();
    this.cursor = startAfter;
  }

  @Override
  public WatchEvent poll(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!closed) {
      if (!pending.isEmpty()) return pending.poll();
      long mark = backend.changeMark();
      fill();
      if (!pending.isEmpty()) return pending.poll();
      long left = deadline - System.nanoTime();
      if (left <= 0) return null;
      backend.awaitChange(mark, Duration.ofNanos(left));
    }
    return null;
  }

  private void fill() {
    Page page = source.changesAfter(cursor, BATCH);
    for (Change change : page.changes()) {
      if (namespace != null && !namespace.equals(change.resource().namespace())) continue;
      WatchEvent event = translate(change);
      if (event != null) pending.add(event);
    }
    cursor = Math.max(cursor, page.through());
  }

  private WatchEvent translate(Change change) {
    if (selector.isEverything()) return new WatchEvent(change.type(), change.resource());
    boolean now = selector.matches(change.resource().metadata().labels());
    Map<String, String> before = change.previousLabels();
    boolean was = before != null && selector.matches(before);
    return switch (change.type()) {
      case ADDED -> now ? new WatchEvent(WatchEvent.Type.ADDED, change.resource()) : null;
      case DELETED -> now ? new WatchEvent(WatchEvent.Type.DELETED, change.resource()) : null;
      case MODIFIED -> {
        if (now && was) yield new WatchEvent(WatchEvent.Type.MODIFIED, change.resource());
        if (now) yield new WatchEvent(WatchEvent.Type.ADDED, change.resource());
        if (was) yield new WatchEvent(WatchEvent.Type.DELETED, change.resource());
        yield null;
      }
    };
  }

  @Override
  public void close() {
    closed = true;
  }
}
