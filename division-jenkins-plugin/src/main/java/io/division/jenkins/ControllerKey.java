package io.division.jenkins;

import io.division.core.approval.DecisionPayload;
import io.division.core.approval.sshsig.SigningKey;
import java.nio.file.Path;

/**
 * The controller's own SSH key, with which it signs the decisions its users make on build pages: a
 * key file the global configuration names, or else one generated on first use under the
 * controller's root directory ({@code JENKINS_HOME/division/approval-signing-key}, Ed25519, mode
 * 0600 in a 0700 directory) and reused from then on. Reading and generating are core's; this class
 * only says where.
 */
final class ControllerKey {
  static final String DEFAULT_FILE = "approval-signing-key";

  /** The controller signs for whichever Jenkins user decided; an admin may narrow the list. */
  static final String PRINCIPALS = "*";

  static final String COMMENT = "jenkins-controller";

  private ControllerKey() {}

  /**
   * @param divisionHome the plugin's directory under the controller's root
   * @param configuredFile the global configuration's key file, or null
   */
  static SigningKey load(Path divisionHome, String configuredFile) {
    return configuredFile != null
        ? SigningKey.read(Path.of(configuredFile))
        : SigningKey.readOrCreate(divisionHome.resolve(DEFAULT_FILE));
  }

  /** The line an admin copies into a waiter's {@code allowed_signers} file. */
  static String allowedSignersLine(SigningKey key) {
    return key.allowedSignersLine(PRINCIPALS, DecisionPayload.SIGNATURE_NAMESPACE, COMMENT);
  }
}
