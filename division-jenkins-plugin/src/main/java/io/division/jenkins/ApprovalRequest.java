package io.division.jenkins;

import java.io.Serializable;

/**
 * An approval a build waits on, as its build page needs it: where it is stored, and what a Jenkins
 * user needs to decide it when the approval itself lists no approvers.
 *
 * @param permissionId a Jenkins permission id such as {@code hudson.model.Item.Build}; null means
 *     Job/Build
 */
public record ApprovalRequest(StoreChoice store, String namespace, String name, String permissionId)
    implements Serializable {
  public static final String DEFAULT_PERMISSION = "hudson.model.Item.Build";

  public ApprovalRequest {
    permissionId = StoreChoice.blankToNull(permissionId);
  }

  public String permissionOrDefault() {
    return permissionId == null ? DEFAULT_PERMISSION : permissionId;
  }
}
