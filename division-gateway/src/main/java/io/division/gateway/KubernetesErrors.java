package io.division.gateway;

import io.division.core.model.Messages;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * The real cause of a failed Kubernetes API call, on one line. fabric8 reports a connection that
 * failed as "An error has occurred." and keeps the reason (refused, unknown host, TLS, timeout) in
 * its causes; an API server's refusal carries its Status (code, reason, message). Both are what an
 * admin needs to see in the gateway's log and the install's status.
 */
public final class KubernetesErrors {
  /** fabric8's message when it has nothing to say itself. */
  static final String GENERIC = "An error has occurred.";

  private KubernetesErrors() {}

  public static String describe(Throwable error) {
    List<String> parts = new ArrayList<>();
    if (error instanceof KubernetesClientException k && k.getCode() > 0) {
      Status status = k.getStatus();
      String reason = status == null ? null : status.getReason();
      String message = status == null ? null : status.getMessage();
      parts.add(
          "HTTP "
              + k.getCode()
              + (reason == null || reason.isBlank() ? "" : " " + reason)
              + ": "
              + (message == null || message.isBlank() ? k.getMessage() : message));
      return Messages.oneLine(String.join("", parts));
    }
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Throwable t = error; t != null && seen.add(t); t = t.getCause()) {
      String message = t.getMessage();
      boolean generic = message == null || message.isBlank() || message.equals(GENERIC);
      if (t instanceof KubernetesClientException && generic) continue;
      String text = t.getClass().getSimpleName() + (generic ? "" : ": " + message);
      // Wrappers often repeat their cause's message: keep it once, under the innermost type.
      if (!parts.isEmpty() && !generic && parts.get(parts.size() - 1).endsWith(message))
        parts.remove(parts.size() - 1);
      parts.add(text);
    }
    if (parts.isEmpty()) return GENERIC;
    return Messages.oneLine(String.join(" <- ", parts));
  }
}
