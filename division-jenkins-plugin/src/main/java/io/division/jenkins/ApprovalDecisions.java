package io.division.jenkins;

import io.division.core.DivisionException;
import io.division.core.approval.ApprovalPolicy;
import io.division.core.approval.Approvals;
import io.division.core.approval.Identity;
import io.division.core.approval.sshsig.SigningKey;
import io.division.core.model.Resource;
import io.division.core.model.ResourceKey;
import io.division.core.store.Store;
import java.time.Clock;
import java.util.Set;

/**
 * Who may decide an approval from a build page, and the decision itself. An approval that lists
 * {@code spec.approvers} may be decided only by those Jenkins users (or members of a listed {@code
 * group:}), which core's policy enforces; one that lists none, by users holding the permission the
 * waiting step names. The decision is recorded by core's {@link Approvals} with the Jenkins user id
 * and the identity source {@code jenkins}, exactly as {@code div approve} records its deciders, and
 * signed with the controller's key as {@code div approve --sign} signs (SSHSIG, namespace {@code
 * division-approval}, over the same payload), so an approval that requires signatures counts it for
 * a waiter whose allowed-signers list holds the controller's key.
 */
public final class ApprovalDecisions {
  private ApprovalDecisions() {}

  /**
   * The signed-in Jenkins user, if any.
   *
   * @param groups the user's Jenkins groups (authorities), for {@code group:} approvers
   * @param hasPermission whether the user holds the permission the step named on the job
   */
  public record Decider(
      String userId, Set<String> groups, boolean hasPermission, String permission) {
    public Decider {
      groups = groups == null ? Set.of() : Set.copyOf(groups);
    }
  }

  /** Records {@code who}'s decision, signed with {@code controllerKey}. */
  public static Approvals.Decision decide(
      Store store,
      ResourceKey key,
      Decider who,
      boolean approve,
      String message,
      SigningKey controllerKey,
      Clock clock) {
    Resource approval = store.get(key);
    String problem = refusal(approval, who);
    if (problem != null) throw DivisionException.forbidden(problem);
    Identity identity = Identity.jenkins(who.userId(), who.groups());
    String why = message == null || message.isBlank() ? null : message.trim();
    Approvals.Signing signing = new Approvals.Signing.WithSigningKey(controllerKey);
    return approve
        ? Approvals.approve(store, key, identity, why, signing, clock)
        : Approvals.reject(store, key, identity, why, signing, clock);
  }

  /**
   * Why {@code who} may not decide {@code approval} as far as Jenkins is concerned, or null. The
   * approval's own list of approvers is checked by core when the decision is recorded.
   */
  public static String refusal(Resource approval, Decider who) {
    String what = "approval/" + approval.name();
    if (who.userId() == null || who.userId().isBlank()) {
      return "sign in to approve or reject " + what;
    }
    if (!ApprovalPolicy.of(approval).approvers().isEmpty()) return null;
    return who.hasPermission()
        ? null
        : who.userId() + " lacks the " + who.permission() + " permission needed to decide " + what;
  }
}
