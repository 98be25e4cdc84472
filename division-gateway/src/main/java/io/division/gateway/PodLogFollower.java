package io.division.gateway;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Copies a pod's log into an install's log stream. It re-reads the log and forwards only lines not
 * yet sent, which survives pod restarts and API hiccups at the cost of re-reading; deploy logs are
 * small. A final read after the pod ends catches the last lines.
 */
final class PodLogFollower {
  private final KubernetesClient client;
  private final String namespace;
  private final Supplier<Pod> pod;
  private final Consumer<String> sink;
  private int sent;

  PodLogFollower(
      KubernetesClient client, String namespace, Supplier<Pod> pod, Consumer<String> sink) {
    this.client = client;
    this.namespace = namespace;
    this.pod = pod;
    this.sink = sink;
  }

  /**
   * Forwards the complete lines not sent yet (and, when {@code last}, an unterminated final line);
   * false while there is no pod to read yet.
   */
  boolean pump(boolean last) {
    Pod p = pod.get();
    if (p == null) return false;
    String log;
    try {
      log = client.pods().inNamespace(namespace).withName(p.getMetadata().getName()).getLog();
    } catch (KubernetesClientException e) {
      return false; // not started yet, or the API is busy: try again on the next poll
    }
    if (log == null) return true;
    String[] lines = log.split("\n", -1);
    int complete = log.endsWith("\n") || !last ? lines.length - 1 : lines.length;
    for (int i = sent; i < complete; i++) sink.accept(lines[i]);
    sent = Math.max(sent, complete);
    return true;
  }
}
