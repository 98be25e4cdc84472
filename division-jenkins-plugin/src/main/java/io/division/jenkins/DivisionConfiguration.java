package io.division.jenkins;

import hudson.Extension;
import hudson.ExtensionList;
import jenkins.model.GlobalConfiguration;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * Plugin-wide settings (Manage Jenkins, System, "Division"; in Configuration as Code under {@code
 * unclassified: division:}): the store every step uses unless it names its own, the namespace, and
 * the AWS credentials (aws-credentials plugin) for a DynamoDB store.
 */
@Extension
@Symbol("division")
public class DivisionConfiguration extends GlobalConfiguration {
  private String storeUrl;
  private String namespace;
  private String credentialsId;

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

  StoreChoice storeChoice() {
    return new StoreChoice(storeUrl, credentialsId, namespace);
  }
}
