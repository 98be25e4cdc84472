package io.division.jenkins;

import hudson.Extension;
import hudson.ExtensionList;
import io.division.core.DivisionException;
import jenkins.model.GlobalConfiguration;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * Plugin-wide settings (Manage Jenkins, System, "Division"; in Configuration as Code under {@code
 * unclassified: division:}): the store every step uses unless it names its own, the namespace, and
 * the AWS credentials (aws-credentials plugin) for a DynamoDB store; the key the controller signs
 * build-page decisions with, and the allowed-signers file {@code divWait} checks signed decisions
 * against.
 */
@Extension
@Symbol("division")
public class DivisionConfiguration extends GlobalConfiguration {
  private String storeUrl;
  private String namespace;
  private String credentialsId;
  private String signingKeyFile;
  private String allowedSignersFile;

  public DivisionConfiguration() {
    load();
  }

  public static DivisionConfiguration get() {
    return ExtensionList.lookupSingleton(DivisionConfiguration.class);
  }

  public String getStoreUrl() {
    return storeUrl;
  }

  /**
   * {@code sqlite:PATH} or {@code dynamodb://[TABLE_PREFIX]?region=...}; empty: a store under
   * JENKINS_HOME.
   */
  @DataBoundSetter
  public void setStoreUrl(String storeUrl) {
    this.storeUrl = StoreChoice.blankToNull(storeUrl);
    save();
  }

  public String getNamespace() {
    return namespace;
  }

  @DataBoundSetter
  public void setNamespace(String namespace) {
    this.namespace = StoreChoice.blankToNull(namespace);
    save();
  }

  public String getCredentialsId() {
    return credentialsId;
  }

  @DataBoundSetter
  public void setCredentialsId(String credentialsId) {
    this.credentialsId = StoreChoice.blankToNull(credentialsId);
    save();
  }

  public String getSigningKeyFile() {
    return signingKeyFile;
  }

  /**
   * An unencrypted OpenSSH private key file (Ed25519 or RSA) on the controller that signs the
   * decisions made on build pages; empty: a key generated under JENKINS_HOME/division.
   */
  @DataBoundSetter
  public void setSigningKeyFile(String signingKeyFile) {
    this.signingKeyFile = StoreChoice.blankToNull(signingKeyFile);
    save();
  }

  public String getAllowedSignersFile() {
    return allowedSignersFile;
  }

  /**
   * An {@code allowed_signers} file on the controller (git's format): the keys whose signed
   * decisions a {@code divWait} counts on an approval that requires signatures, unless the step
   * names its own {@code allowedSigners}.
   */
  @DataBoundSetter
  public void setAllowedSignersFile(String allowedSignersFile) {
    this.allowedSignersFile = StoreChoice.blankToNull(allowedSignersFile);
    save();
  }

  /**
   * This controller's public key as an {@code allowed_signers} line, for an admin to copy into the
   * lists of the waiters that should accept build-page decisions (shown on the configuration page);
   * or why there is none.
   */
  public String getControllerAllowedSignersLine() {
    try {
      return ControllerKey.allowedSignersLine(StepRuntime.current().signingKey());
    } catch (DivisionException e) {
      return "(no signing key: " + e.getMessage() + ")";
    }
  }

  StoreChoice storeChoice() {
    return new StoreChoice(storeUrl, credentialsId, namespace);
  }
}
