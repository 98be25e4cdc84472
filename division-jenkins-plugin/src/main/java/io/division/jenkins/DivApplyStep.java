package io.division.jenkins;

import hudson.Extension;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.division.core.DivisionException;
import io.division.core.manifest.Document;
import io.division.core.manifest.ManifestReader;
import io.division.core.store.ApplyResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code divApply(file: 'x.yaml')}, {@code divApply(text: yaml)} or {@code divApply(resource:
 * [kind: ..., metadata: [...], spec: [...]])}: every document is validated, then all are written
 * atomically, as {@code div apply} does. Returns the applied resources as maps. Only {@code file}
 * needs a workspace ({@code node {}}).
 */
public final class DivApplyStep extends DivisionStep {
  public static final String FUNCTION = "divApply";

  private String file;
  private String text;
  private Map<String, Object> resource;

  @DataBoundConstructor
  public DivApplyStep() {}

  public String getFile() {
    return file;
  }

  /** A YAML or JSON manifest in the workspace (one or more documents). */
  @DataBoundSetter
  public void setFile(String file) {
    this.file = StoreChoice.blankToNull(file);
  }

  public String getText() {
    return text;
  }

  /** Manifest text (one or more YAML documents, or JSON). */
  @DataBoundSetter
  public void setText(String text) {
    this.text = text;
  }

  public Map<String, Object> getResource() {
    return resource;
  }

  /** One resource as a map. */
  @DataBoundSetter
  public void setResource(Map<String, Object> resource) {
    this.resource = resource;
  }

  @Override
  public StepExecution start(StepContext context) throws Exception {
    int given = (file != null ? 1 : 0) + (text != null ? 1 : 0) + (resource != null ? 1 : 0);
    if (given != 1) {
      throw new DivisionStepException(
          DivisionException.Reason.INVALID.name(),
          FUNCTION + ": give exactly one of file, text or resource");
    }
    return new Execution(context, this);
  }

  static final class Execution
      extends SynchronousNonBlockingStepExecution<List<Map<String, Object>>> {
    private static final long serialVersionUID = 1L;
    private final transient DivApplyStep step;

    Execution(StepContext context, DivApplyStep step) {
      super(context);
      this.step = step;
    }

    @Override
    protected List<Map<String, Object>> run() throws Exception {
      StepContext context = getContext();
      TaskListener listener = context.get(TaskListener.class);
      List<Document> documents = step.documents(context);
      try {
        Connection c = StepRuntime.current().connect(step.storeChoice(), context.get(Run.class));
        List<ApplyResult> results = c.division().apply(documents, c.namespace());
        List<Map<String, Object>> applied = new ArrayList<>();
        for (ApplyResult r : results) {
          listener
              .getLogger()
              .println(
                  r.resource().kind().toLowerCase(Locale.ROOT)
                      + "/"
                      + r.resource().name()
                      + " "
                      + r.outcome().verb());
          applied.add(ResourceMaps.toMap(r.resource()));
        }
        return applied;
      } catch (DivisionException e) {
        throw DivisionStepException.of(FUNCTION, e);
      }
    }
  }

  private List<Document> documents(StepContext context) throws Exception {
    try {
      if (resource != null) {
        return List.of(
            new Document(FUNCTION + "(resource:)", 0, ResourceMaps.toJson(resource, "resource")));
      }
      if (text != null) return ManifestReader.read(FUNCTION + "(text:)", text);
      FilePath workspace = context.get(FilePath.class);
      if (workspace == null) {
        throw DivisionException.invalid(
            "file: '" + file + "' needs a workspace: call divApply inside node {}, or pass text:");
      }
      FilePath f = workspace.child(file);
      if (!f.exists()) throw DivisionException.invalid(file + " does not exist in the workspace");
      List<Document> docs = ManifestReader.read(file, f.readToString());
      if (docs.isEmpty()) throw DivisionException.invalid(file + ": no objects to apply");
      return docs;
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
      return "Apply Division resources (validated, then written atomically)";
    }

    @Override
    public Set<? extends Class<?>> getRequiredContext() {
      return Set.of(Run.class, TaskListener.class);
    }
  }
}
