package io.division.core.store.sqlite;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Wakes followers when the database may have changed. Writes by this process bump the mark
 * directly; writes by other processes are noticed through a file watch on the database and its WAL
 * (inotify on Linux). A short fallback interval covers file systems without such events. The file
 * watch starts only when somebody first waits, so one-shot CLI calls never pay for it.
 */
final class ChangeNotifier implements AutoCloseable {
  private static final long SETTLE_MILLIS = 5;
  private final Path dbFile;
  private final long fallbackNanos;
  private final Object lock = new Object();
  private long mark;
  private WatchService watchService;
  private Thread thread;
  private boolean closed;

  ChangeNotifier(Path dbFile, Duration fallback) {
    this.dbFile = dbFile;
    this.fallbackNanos = fallback.toNanos();
  }

  long mark() {
    synchronized (lock) {
      return mark;
    }
  }

  void bump() {
    synchronized (lock) {
      mark++;
      lock.notifyAll();
    }
  }

  void await(long seen, Duration timeout) throws InterruptedException {
    startFileWatch();
    long wait = Math.min(timeout.toNanos(), fallbackNanos);
    long deadline = System.nanoTime() + wait;
    synchronized (lock) {
      while (mark == seen && !closed) {
        long left = deadline - System.nanoTime();
        if (left <= 0) return;
        TimeUnit.NANOSECONDS.timedWait(lock, left);
      }
    }
  }

  private void startFileWatch() {
    synchronized (lock) {
      if (thread != null || closed) return;
      try {
        Path dir = dbFile.toAbsolutePath().getParent();
        watchService = FileSystems.getDefault().newWatchService();
        dir.register(
            watchService,
            StandardWatchEventKinds.ENTRY_MODIFY,
            StandardWatchEventKinds.ENTRY_CREATE);
      } catch (IOException | UnsupportedOperationException e) {
        // No file events here: the fallback interval alone bounds the latency.
        thread = new Thread(() -> {});
        return;
      }
      String prefix = dbFile.getFileName().toString();
      thread = new Thread(() -> run(prefix), "division-sqlite-changes");
      thread.setDaemon(true);
      thread.start();
    }
  }

  private void run(String prefix) {
    try {
      while (true) {
        WatchKey key = watchService.take();
        while (key != null && relevant(key, prefix)) {
          bump();
          // SQLite appends a commit's frames to the WAL (the event) a moment before it publishes
          // the commit in the shared index: a reader woken at once may not see it yet. A second
          // wake-up shortly after catches it without waiting for the fallback poll; a further
          // event in the meantime is handled the same way.
          key = watchService.poll(SETTLE_MILLIS, TimeUnit.MILLISECONDS);
          if (key == null) bump();
        }
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      // closing
    }
  }

  private static boolean relevant(WatchKey key, String prefix) {
    boolean relevant = false;
    for (WatchEvent<?> event : key.pollEvents()) {
      Object context = event.context();
      if (context == null || context.toString().startsWith(prefix)) relevant = true;
    }
    key.reset();
    return relevant;
  }

  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
      lock.notifyAll();
      if (watchService != null) {
        try {
          watchService.close();
        } catch (IOException e) {
          // nothing left to release
        }
      }
    }
  }
}
