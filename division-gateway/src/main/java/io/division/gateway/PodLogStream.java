package io.division.gateway;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.LogWatch;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The one pod-log handle of the Kubernetes and Brigade executors: follows a pod's log as a stream
 * (the API's {@code follow=true}, through fabric8's {@code watchLog}) on its own reader thread and
 * copies each line into the install's log as it comes. The executor's poll only opens the stream
 * once the pod exists and, when the pod has ended, waits briefly for the stream's last lines.
 *
 * <p>If the stream breaks while the pod still runs (an API server restart, a dropped connection),
 * it is opened again and the lines already copied are skipped, so none is lost or copied twice. A
 * new pod (a Job's retry) starts a new stream.
 */
final class PodLogStream implements AutoCloseable {
  /** How long the end of a finished pod's log may take to arrive. */
  private static final Duration DRAIN = Duration.ofSeconds(5);

  private final KubernetesClient client;
  private final String namespace;
  private final Supplier<Pod> pod;
  private final Consumer<String> sink;
  private final Object lock = new Object();
  private String podName;
  private LogWatch watch;
  private Thread reader;
  private CountDownLatch ended;
  private long sent; // lines of podName copied so far
  private volatile boolean closed;

  PodLogStream(
      KubernetesClient client, String namespace, Supplier<Pod> pod, Consumer<String> sink) {
    this.client = client;
    this.namespace = namespace;
    this.pod = pod;
    this.sink = sink;
  }

  /**
   * Makes sure the pod's log is being followed; when {@code podEnded}, waits (briefly) until its
   * stream has delivered the last line. False while there is no pod to follow yet.
   */
  boolean pump(boolean podEnded) {
    Pod p = pod.get();
    if (p == null || p.getMetadata() == null) return false;
    CountDownLatch waitFor;
    synchronized (lock) {
      if (closed) return true;
      String name = p.getMetadata().getName();
      if (!name.equals(podName)) {
        stopReader();
        podName = name;
        sent = 0;
      }
      boolean streamEnded = ended != null && ended.getCount() == 0;
      if (reader == null || (streamEnded && !podFinished(p))) {
        // Not opened yet, or broken while the pod still runs. The stream of a pod that has
        // finished ends once it has delivered everything: it is not read again.
        if (!open()) return false;
      }
      waitFor = ended;
    }
    if (podEnded) {
      try {
        waitFor.await(DRAIN.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return true;
  }

  private static boolean podFinished(Pod p) {
    String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }

  /**
   * Opens the follow stream of {@link #podName} and starts its reader; false if not yet possible.
   */
  private boolean open() {
    LogWatch w;
    try {
      w = client.pods().inNamespace(namespace).withName(podName).watchLog();
    } catch (KubernetesClientException e) {
      return false; // not started yet, or the API is busy: try again on the next poll
    }
    watch = w;
    ended = new CountDownLatch(1);
    long skip = sent;
    String name = podName;
    CountDownLatch done = ended;
    reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(w.getOutput(), StandardCharsets.UTF_8))) {
                long seen = 0;
                String line;
                while ((line = r.readLine()) != null) {
                  if (++seen <= skip) continue; // copied before the stream was opened again
                  synchronized (lock) {
                    if (closed || !name.equals(podName)) break;
                    sent = seen;
                  }
                  sink.accept(line);
                }
              } catch (IOException | RuntimeException e) {
                // the stream broke: the next poll opens it again
              } finally {
                w.close();
                done.countDown();
              }
            },
            "div-pod-log-" + podName);
    reader.setDaemon(true);
    reader.start();
    return true;
  }

  private void stopReader() {
    if (watch != null) watch.close();
    watch = null;
    reader = null;
    ended = null;
  }

  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
      stopReader();
    }
  }
}
