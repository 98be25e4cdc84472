package io.division.jenkins;

import org.jenkinsci.plugins.workflow.steps.Step;
import org.kohsuke.stapler.DataBoundSetter;

/** What every Division step accepts besides its own parameters: which store and namespace. */
public abstract class DivisionStep extends Step {
  private String store;
  private String credentialsId;
  private String namespace;

  public String getStore() {
    return store;
  }

  /** A store URL ({@code sqlite:PATH} or {@code dynamodb://...}) instead of the global one. */
  @DataBoundSetter
  public void setStore(String store) {
    this.store = StoreChoice.blankToNull(store);
  }

  public String getCredentialsId() {
    return credentialsId;
  }

  /** AWS credentials (aws-credentials plugin) for this step's DynamoDB store. */
  @DataBoundSetter
  public void setCredentialsId(String credentialsId) {
    this.credentialsId = StoreChoice.blankToNull(credentialsId);
  }

  public String getNamespace() {
    return namespace;
  }

  @DataBoundSetter
  public void setNamespace(String namespace) {
    this.namespace = StoreChoice.blankToNull(namespace);
  }

  StoreChoice storeChoice() {
    return new StoreChoice(store, credentialsId, namespace);
  }
}
