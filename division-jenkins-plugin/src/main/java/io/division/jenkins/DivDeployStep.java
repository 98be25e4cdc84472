package io.division.jenkins;

import hudson.Extension;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.division.core.DivisionException;
import io.division.core.deploy.DeployNames;
import io.division.core.deploy.DeployRequest;
import io.division.core.time.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code divDeploy(project: 'p', app: 'a', ref: env.GIT_COMMIT, clusters: ['prod-eu', 'prod-us'],
 * timeout: '30m')}: asks each cluster's gateway to install {@code ref}, as {@code div deploy} does,
 * then follows the installs on Jenkins' Timer, copying their logs into the build log as {@code
 * [cluster app] line}. Needs no {@code node {}}; resumes from its serialized submission after a
 * restart; fails the build naming the install that failed. Returns {@code [state:, ref:, targets:
 * [[cluster:, app:, install:, attempt:, phase:, message:, succeeded:], ...]]}.
 */
public final class DivDeployStep extends DivisionStep {
  public static final String FUNCTION = "divDeploy";

  private final String project;
  private String app;
  private List<String> apps = List.of();
  private String ref;
  private String cluster;
  private List<String> clusters = List.of();
  private String timeout;
  private boolean force;

  @DataBoundConstructor
  public DivDeployStep(String project) {
    this.project = project;
  }

  public String getProject() {
    return project;
  }

  public String getApp() {
    return app;
  }

  @DataBoundSetter
  public void setApp(String app) {
    this.app = StoreChoice.blankToNull(app);
  }

  public List<String> getApps() {
    return apps;
  }

  /** Several applications of the project; neither app nor apps: all of them. */
  @DataBoundSetter
  public void setApps(List<String> apps) {
    this.apps = apps == null ? List.of() : List.copyOf(apps);
  }

  public String getRef() {
    return ref;
  }

  @DataBoundSetter
  public void setRef(String ref) {
    this.ref = StoreChoice.blankToNull(ref);
  }

  public String getCluster() {
    return cluster;
  }

  @DataBoundSetter
  public void setCluster(String cluster) {
    this.cluster = StoreChoice.blankToNull(cluster);
  }

  public List<String> getClusters() {
    return clusters;
  }

  /** The clusters to deploy to; none: every cluster whose gateway is alive now. */
  @DataBoundSetter
  public void setClusters(List<String> clusters) {
    this.clusters = clusters == null ? List.of() : List.copyOf(clusters);
  }

  public String getTimeout() {
    return timeout;
  }

  @DataBoundSetter
  public void setTimeout(String timeout) {
    this.timeout = StoreChoice.blankToNull(timeout);
  }

  public boolean isForce() {
    return force;
  }

  /** Install again even if this ref is already installed. */
  @DataBoundSetter
  public void setForce(boolean force) {
    this.force = force;
  }

  @Override
  public StepExecution start(StepContext context) throws Exception {
    try {
      if (project == null || project.isBlank())
        throw DivisionException.invalid("project is required");
      if (ref == null) throw DivisionException.invalid("ref is required");
      List<String> appList = new ArrayList<>(apps);
      if (app != null) appList.add(0, app);
      List<String> clusterList = new ArrayList<>(clusters);
      if (cluster != null) clusterList.add(0, cluster);
      Duration limit = timeout == null ? DeployRequest.DEFAULT_TIMEOUT : Durations.parse(timeout);
      // The request is checked whole now (names, ref, timeout); it is submitted on the Timer.
      DeployNames.validateRef(ref);
      DeployNames.resourceName("project", project);
      for (String a : appList) DeployNames.resourceName("app", a);
      for (String c : clusterList) DeployNames.resourceName("cluster", c);
      DeployRequest.builder()
          .project(project)
          .apps(appList)
          .ref(ref)
          .clusters(clusterList)
          .timeout(limit)
          .force(force)
          .build();
      return new DivDeployExecution(
          context, storeChoice(), project, appList, ref, clusterList, limit, force);
    } catch (DivisionException e) {
      throw DivisionStepException.of(FUNCTION, e);
    }
  }

  @Extension
  @Symbol(FUNCTION)
  public static final class DescriptorImpl extends StepDescriptor {
    @Override
    public String getFunctionName() {
      return FUNCTION;
    }

    @Override
    public String getDisplayName() {
      return "Deploy through Division gateways and follow the installs (holds no executor)";
    }

    @Override
    public Set<? extends Class<?>> getRequiredContext() {
      return Set.of(Run.class, TaskListener.class);
    }
  }
}
