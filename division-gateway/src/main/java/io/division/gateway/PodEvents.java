package io.division.gateway;

import io.division.core.model.Messages;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * Why a pod does not run (or a Job makes none), as Kubernetes tells it: the Warning Events about it
 * (FailedScheduling, ErrImagePull, FailedMount...). Only Events say this; the pod's status stays
 * Pending. Read with {@code list} on Events in the pod's namespace (the chart grants exactly that)
 * and matched by the involved object here rather than by a field selector, which not every API
 * server implementation honours for Events.
 */
final class PodEvents {
  private PodEvents() {}

  /**
   * The distinct warnings about one object ({@code kind} Pod or Job, say), oldest first, each as
   * {@code Reason: message}; empty when there are none or they cannot be read (the caller is
   * reporting, not deciding).
   */
  static List<String> warnings(
      KubernetesClient client, String namespace, String kind, String name) {
    List<Event> events;
    try {
      events = client.v1().events().inNamespace(namespace).list().getItems();
    } catch (KubernetesClientException e) {
      return List.of();
    }
    List<Event> about = new ArrayList<>();
    for (Event e : events) {
      if (e.getInvolvedObject() == null) continue;
      if (!kind.equals(e.getInvolvedObject().getKind())) continue;
      if (!name.equals(e.getInvolvedObject().getName())) continue;
      if (!"Warning".equals(e.getType())) continue;
      about.add(e);
    }
    about.sort(Comparator.comparing(PodEvents::when, Comparator.nullsFirst(String::compareTo)));
    LinkedHashSet<String> lines = new LinkedHashSet<>();
    for (Event e : about)
      lines.add(
          Objects.requireNonNullElse(e.getReason(), "Warning")
              + ": "
              + Messages.oneLine(Objects.requireNonNullElse(e.getMessage(), "")));
    return List.copyOf(lines);
  }

  private static String when(Event e) {
    if (e.getLastTimestamp() != null) return e.getLastTimestamp();
    if (e.getEventTime() != null) return e.getEventTime().getTime();
    return e.getFirstTimestamp();
  }
}
