package io.division.jenkins;

import com.fasterxml.jackson.databind.JsonNode;
import io.division.core.DivisionException;
import io.division.core.approval.Approvals;
import io.division.core.model.Resource;
import io.division.core.model.ResourceKey;
import io.division.core.store.Store;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Who may decide an approval from a build page, and the decision itself. An approval that lists
 * {@code spec.approvers} may be decided only by those Jenkins users; one that lists none, by users
 * holding the permission the waiting step names. The decision is written by core's {@link
 * Approvals}, with the Jenkins user id as who decided, exactly as {@code div approve} writes it.
 */
public final class ApprovalDecisions {
  private ApprovalDecisions() {}

  /**
   * The signed-in Jenkins user, if any.
   *
   * @param hasPermission whether the user holds the permission the step named on the job
   */
  public record Decider(String userId, boolean hasPermission, String permission) {}

  public static Approvals.Decision decide(
      Store store, ResourceKey key, Decider who, boolean approve, String message, Clock clock) {
    Resource approval = store.get(key);
    String problem = refusal(approval, who);
    if (problem != null) throw DivisionException.forbidden(problem);
    String why = message == null || message.isBlank() ? null : message.trim();
    return approve
        ? Approvals.approve(store, key, who.userId(), why, clock)
        : Approvals.reject(store, key, who.userId(), why, clock);
  }

  /** Why {@code who} may not decide {@code approval}, or null if they may. */
  public static String refusal(Resource approval, Decider who) {
    String what = "approval/" + approval.name();
    if (who.userId() == null || who.userId().isBlank()) {
      return "sign in to approve or reject " + what;
    }
    List<String> approvers = approvers(approval);
    if (!approvers.isEmpty()) {
      return approvers.contains(who.userId())
          ? null
          : who.userId()
              + " is not among the approvers of "
              + what
              + " ("
              + String.join(", ", approvers)
              + ")";
    }
    return who.hasPermission()
        ? null
        : who.userId() + " lacks the " + who.permission() + " permission needed to decide " + what;
  }

  /** {@code spec.approvers}: Jenkins user ids (a list, or one name). */
  public static List<String> approvers(Resource approval) {
    List<String> out = new ArrayList<>();
    JsonNode spec = approval.spec();
    JsonNode list = spec == null ? null : spec.get("approvers");
    if (list == null) return out;
    if (list.isTextual()) out.add(list.asText());
    for (JsonNode n : list) if (n.isTextual() && !n.asText().isBlank()) out.add(n.asText());
    return out;
  }
}
