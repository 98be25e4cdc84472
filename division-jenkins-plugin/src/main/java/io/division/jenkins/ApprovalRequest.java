package io.division.jenkins;

import io.division.core.approval.sshsig.AllowedSigners;
import java.io.Serializable;

/**
 * An approval a build waits on, as its build page needs it: where it is stored, and what a Jenkins
 * user needs to decide it when the approval itself lists no approvers.
 *
 * @param permissionId a Jenkins permission id such as {@code hudson.model.Item.Build}; null means
 *     Job/Build
 * @param allowedSigners the waiting step's allowed-signers list (text), so that the page judges the
 *     approval as the step does; null for none
 */
public record ApprovalRequest(
    StoreChoice store, String namespace, String name, String permissionId, String allowedSigners)
    implements Serializable {
  public static final String DEFAULT_PERMISSION = "hudson.model.Item.Build";

  /** How the page names the list in its notes, as the waiting step's build log does. */
  private static final String TRUST_SOURCE = "the waiter's allowed-signers list";

  public ApprovalRequest {
    permissionId = StoreChoice.blankToNull(permissionId);
  }

  /** The waiting step's allowed signers, parsed; null when it has none. */
  public AllowedSigners trust() {
    return allowedSigners == null ? null : AllowedSigners.parse(allowedSigners, TRUST_SOURCE);
  }

  public String permissionOrDefault() {
    return permissionId == null ? DEFAULT_PERMISSION : permissionId;
  }
}
