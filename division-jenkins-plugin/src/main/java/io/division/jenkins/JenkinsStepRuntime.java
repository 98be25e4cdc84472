package io.division.jenkins;

import com.cloudbees.jenkins.plugins.awscredentials.AmazonWebServicesCredentials;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import hudson.AbortException;
import hudson.model.Run;
import io.division.core.Division;
import io.division.core.approval.sshsig.SigningKey;
import java.io.IOException;
import java.util.concurrent.ScheduledExecutorService;
import jenkins.model.Jenkins;
import jenkins.util.Timer;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/** The steps' surroundings inside Jenkins. */
final class JenkinsStepRuntime extends StepRuntime {
  static final JenkinsStepRuntime INSTANCE = new JenkinsStepRuntime();

  private volatile StoreCache stores;

  private JenkinsStepRuntime() {}

  @Override
  public ScheduledExecutorService timer() {
    return Timer.get();
  }

  /** The plugin's directory under the controller's root: the default store and signing key. */
  private static java.nio.file.Path divisionHome() {
    return Jenkins.get().getRootDir().toPath().resolve("division");
  }

  private StoreCache stores() {
    StoreCache s = stores;
    if (s == null) {
      synchronized (this) {
        if (stores == null) {
          stores = new StoreCache(divisionHome());
        }
        s = stores;
      }
    }
    return s;
  }

  @Override
  public Connection connect(StoreChoice choice, Run<?, ?> run) throws IOException {
    StoreChoice effective = choice.orElse(DivisionConfiguration.get().storeChoice());
    StoreCache cache = stores();
    String url = effective.storeUrl() != null ? effective.storeUrl() : cache.defaultUrl();
    AmazonWebServicesCredentials credentials = null;
    if (effective.credentialsId() != null) {
      if (run == null) {
        throw new AbortException(
            "AWS credentials '" + effective.credentialsId() + "' can only be used from a build");
      }
      credentials =
          CredentialsProvider.findCredentialById(
              effective.credentialsId(), AmazonWebServicesCredentials.class, run);
      if (credentials == null) {
        throw new AbortException(
            "AWS credentials '"
                + effective.credentialsId()
                + "' not found for "
                + run.getExternalizableId());
      }
      CredentialsProvider.track(run, credentials);
    }
    Division division = cache.get(url, effective.credentialsId(), credentials);
    return new Connection(division, effective.namespace());
  }

  @Override
  public SigningKey signingKey() {
    return ControllerKey.load(divisionHome(), DivisionConfiguration.get().getSigningKeyFile());
  }

  @Override
  public String defaultAllowedSigners() {
    return DivisionConfiguration.get().getAllowedSignersFile();
  }

  @Override
  public void approvalWaiting(StepContext context, ApprovalRequest request)
      throws IOException, InterruptedException {
    Run<?, ?> run = context.get(Run.class);
    DivisionApprovalAction action = DivisionApprovalAction.find(run, request.name());
    if (action == null) {
      run.addAction(new DivisionApprovalAction(request));
    } else {
      action.reopen(request);
    }
    run.save();
  }

  @Override
  public void approvalEnded(StepContext context, ApprovalRequest request)
      throws IOException, InterruptedException {
    Run<?, ?> run = context.get(Run.class);
    DivisionApprovalAction action = DivisionApprovalAction.find(run, request.name());
    if (action != null) {
      action.close();
      run.save();
    }
  }
}
