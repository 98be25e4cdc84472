package io.division.core.logs;

import io.division.core.model.ResourceKey;
import io.division.core.store.Store;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Appends log lines in batches: a full batch is written at once, a partial one after a short delay,
 * so a fast producer gets throughput and a slow one (a deploy printing now and then) gets its lines
 * to followers promptly.
 */
public final class LogBatcher implements AutoCloseable {
  private final Store store;
  private final ResourceKey key;
  private final int maxBatch;
  private final long maxDelayNanos;
  private final Object lock = new Object();
  private List<String> pending = new ArrayList<>();
  private long firstPendingAt;
  private final Thread flusher;
  private volatile boolean closed;
  private RuntimeException failure;

  public LogBatcher(Store store, ResourceKey key, int maxBatch, Duration maxDelay) {
    this.store = store;
    this.key = key;
    this.maxBatch = maxBatch;
    this.maxDelayNanos = maxDelay.toNanos();
    this.flusher = new Thread(this::flushLoop, "division-log-flusher");
    this.flusher.setDaemon(true);
    this.flusher.start();
  }

  public static LogBatcher forStore(Store store, ResourceKey key) {
    return new LogBatcher(store, key, 2000, Duration.ofMillis(20));
  }

  public void add(String line) {
    List<String> full = null;
    synchronized (lock) {
      throwIfFailed();
      if (pending.isEmpty()) {
        firstPendingAt = System.nanoTime();
        lock.notifyAll();
      }
      pending.add(line);
      if (pending.size() >= maxBatch) {
        full = pending;
        pending = new ArrayList<>();
      }
    }
    if (full != null) store.appendLog(key, full);
  }

  /** Writes whatever is pending now. */
  public void flush() {
    List<String> batch;
    synchronized (lock) {
      throwIfFailed();
      batch = pending;
      pending = new ArrayList<>();
    }
    if (!batch.isEmpty()) store.appendLog(key, batch);
  }

  private void throwIfFailed() {
    if (failure != null) throw failure;
  }

  private void flushLoop() {
    try {
      while (!closed) {
        List<String> batch = null;
        synchronized (lock) {
          if (pending.isEmpty()) {
            lock.wait(100);
            continue;
          }
          long due = firstPendingAt + maxDelayNanos - System.nanoTime();
          if (due > 0) {
            java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(lock, due);
            continue;
          }
          batch = pending;
          pending = new ArrayList<>();
        }
        store.appendLog(key, batch);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      synchronized (lock) {
        failure = e;
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    synchronized (lock) {
      lock.notifyAll();
    }
    try {
      flusher.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    flush();
  }
}
