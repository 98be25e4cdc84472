package io.division.core.logs;

import io.division.core.model.ResourceKey;
import io.division.core.store.Store;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Appends log lines in batches: a full batch is written at once, a partial one after a short delay,
 * so a fast producer gets throughput and a slow one (a deploy printing now and then) gets its lines
 * to followers promptly.
 *
 * <p>One thread, the flusher, does every append, so lines are stored in the order they were added
 * even when a full batch and a delayed one are due at the same time. A producer far ahead of the
 * store waits in {@link #add} (a few batches are buffered), so memory stays bounded. {@link
 * #written()} counts what the store has confirmed: after a failure or a hurried exit it is the
 * honest answer to "how many lines were kept".
 */
public final class LogBatcher implements AutoCloseable {
  /** Batches buffered ahead of the store before {@link #add} waits. */
  private static final int BUFFERED_BATCHES = 4;

  private final Store store;
  private final ResourceKey key;
  private final int maxBatch;
  private final long maxDelayNanos;
  private final Object lock = new Object();
  private List<String> pending = new ArrayList<>();
  private long firstPendingAt;
  private boolean closing;
  private boolean flushRequested;
  private long added;
  private long written;
  private RuntimeException failure;
  private final Thread flusher;

  public LogBatcher(Store store, ResourceKey key, int maxBatch, Duration maxDelay) {
    if (maxBatch < 1) throw new IllegalArgumentException("maxBatch must be at least 1");
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

  /** Queues one line; throws the store's error if an earlier append failed. */
  public void add(String line) {
    synchronized (lock) {
      while (!closing && failure == null && pending.size() >= maxBatch * BUFFERED_BATCHES) {
        awaitChange();
      }
      throwIfFailed();
      if (!closing) {
        if (pending.isEmpty()) firstPendingAt = System.nanoTime();
        pending.add(line);
        added++;
        if (pending.size() == 1 || pending.size() == maxBatch) lock.notifyAll();
        return;
      }
    }
    // A late line (an executor's last words after its log was closed) is still kept, on its own.
    store.appendLog(key, List.of(line));
    synchronized (lock) {
      added++;
      written++;
    }
  }

  /** Returns once every line added so far is stored; throws the store's error if one failed. */
  public void flush() {
    synchronized (lock) {
      long target = added;
      flushRequested = true;
      lock.notifyAll();
      while (written < target && failure == null) awaitChange();
      throwIfFailed();
    }
  }

  /** Lines the store has confirmed so far. */
  public long written() {
    synchronized (lock) {
      return written;
    }
  }

  /** Lines added but not (yet) confirmed by the store. */
  public long unwritten() {
    synchronized (lock) {
      return added - written;
    }
  }

  private void throwIfFailed() {
    if (failure != null) throw failure;
  }

  /** Waits for the flusher to make progress; interrupting a writer is an error, not a skip. */
  private void awaitChange() {
    try {
      lock.wait();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while writing the log of " + key, e);
    }
  }

  private void flushLoop() {
    while (true) {
      List<String> batch;
      synchronized (lock) {
        try {
          while (true) {
            if (pending.isEmpty()) {
              if (closing) return;
              lock.wait();
              continue;
            }
            if (closing || flushRequested || pending.size() >= maxBatch) break;
            long due = firstPendingAt + maxDelayNanos - System.nanoTime();
            if (due <= 0) break;
            TimeUnit.NANOSECONDS.timedWait(lock, due);
          }
        } catch (InterruptedException e) {
          failure = new IllegalStateException("log writer for " + key + " was interrupted");
          lock.notifyAll();
          return;
        }
        if (pending.size() <= maxBatch) {
          batch = pending;
          pending = new ArrayList<>();
        } else {
          batch = new ArrayList<>(pending.subList(0, maxBatch));
          pending = new ArrayList<>(pending.subList(maxBatch, pending.size()));
          firstPendingAt = System.nanoTime();
        }
        if (pending.isEmpty()) flushRequested = false;
        lock.notifyAll(); // room for producers waiting in add
      }
      try {
        store.appendLog(key, batch);
      } catch (RuntimeException e) {
        synchronized (lock) {
          failure = e;
          lock.notifyAll();
        }
        return;
      }
      synchronized (lock) {
        written += batch.size();
        lock.notifyAll();
      }
    }
  }

  /** Stores every line added, then stops the flusher; throws the store's error if one failed. */
  @Override
  public void close() {
    synchronized (lock) {
      closing = true;
      lock.notifyAll();
    }
    boolean interrupted = false;
    while (flusher.isAlive()) {
      try {
        flusher.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) Thread.currentThread().interrupt();
    synchronized (lock) {
      throwIfFailed();
    }
  }
}
