package io.division.jenkins;

import hudson.Extension;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.division.core.DivisionException;
import io.division.core.kind.KindDefinition;
import io.division.core.selector.LabelSelector;
import io.division.core.store.ListQuery;
import java.util.Optional;
import java.util.Set;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code divGet(kind: 'approval', name: 'release-42')} returns that resource as a map (a missing
 * one fails the step, unless {@code ignoreNotFound: true}, which returns null); {@code divGet(kind:
 * 'install', selector: 'app=web')} or {@code divGet(kind: 'cluster')} returns a list of maps.
 */
public final class DivGetStep extends DivisionStep {
  public static final String FUNCTION = "divGet";

  private final String kind;
  private String name;
  private String selector;
  private boolean ignoreNotFound;

  @DataBoundConstructor
  public DivGetStep(String kind) {
    this.kind = kind;
  }

  public String getKind() {
    return kind;
  }

  public String getName() {
    return name;
  }

  @DataBoundSetter
  public void setName(String name) {
    this.name = StoreChoice.blankToNull(name);
  }

  public String getSelector() {
    return selector;
  }

  /** A label selector, as {@code div get -l}: {@code team=web,env in (prod,stage)}. */
  @DataBoundSetter
  public void setSelector(String selector) {
    this.selector = StoreChoice.blankToNull(selector);
  }

  public boolean isIgnoreNotFound() {
    return ignoreNotFound;
  }

  @DataBoundSetter
  public void setIgnoreNotFound(boolean ignoreNotFound) {
    this.ignoreNotFound = ignoreNotFound;
  }

  @Override
  public StepExecution start(StepContext context) throws Exception {
    if (kind == null || kind.isBlank()) {
      throw new DivisionStepException("INVALID", FUNCTION + ": kind is required");
    }
    if (name != null && selector != null) {
      throw new DivisionStepException("INVALID", FUNCTION + ": give name or selector, not both");
    }
    return new Execution(context, this);
  }

  static final class Execution extends SynchronousNonBlockingStepExecution<Object> {
    private static final long serialVersionUID = 1L;
    private final transient DivGetStep step;

    Execution(StepContext context, DivGetStep step) {
      super(context);
      this.step = step;
    }

    @Override
    protected Object run() throws Exception {
      try {
        Connection c =
            StepRuntime.current().connect(step.storeChoice(), getContext().get(Run.class));
        KindDefinition kind = c.division().resolve(step.kind);
        if (step.name != null) {
          var key = c.division().key(kind, c.namespace(), step.name);
          Optional<io.division.core.model.Resource> found = c.division().store().find(key);
          if (found.isEmpty() && !step.ignoreNotFound) {
            throw DivisionException.notFound(
                kind.singular()
                    + " \""
                    + step.name
                    + "\" not found"
                    + (kind.namespaced() ? " in namespace \"" + c.namespace() + "\"" : ""));
          }
          return ResourceMaps.toMap(found.orElse(null));
        }
        LabelSelector selector = LabelSelector.parse(step.selector);
        String ns = kind.namespaced() ? c.namespace() : null;
        return ResourceMaps.toMaps(
            c.division().store().list(new ListQuery(kind.kind(), ns, selector)).items());
      } catch (DivisionException e) {
        throw DivisionStepException.of(FUNCTION, e);
      }
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
      return "Get Division resources as maps";
    }

    @Override
    public Set<? extends Class<?>> getRequiredContext() {
      return Set.of(Run.class, TaskListener.class);
    }
  }
}
