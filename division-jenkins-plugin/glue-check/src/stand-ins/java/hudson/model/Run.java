/*
 * STAND-IN, compiled only by division-jenkins-plugin/glue-check, never packaged or shipped.
 * Mirrors jenkinsci/jenkins @ ff9430ee1dc6e319349a488650d914444fe141f3 (2.579-SNAPSHOT, 2026-08-21)
 *   core/src/main/java/hudson/model/Run.java
 * Same package, name, type parameters and signatures for the members below; members, supertypes
 * and annotations the Division glue does not use are left out.
 * addAction and getActions are inherited from hudson.model.Actionable in the real class.
 */
package hudson.model;

import java.io.IOException;
import java.util.List;

public abstract class Run<JobT extends Job<JobT, RunT>, RunT extends Run<JobT, RunT>> {
  public JobT getParent() {
    throw new UnsupportedOperationException("stand-in");
  }

  public String getExternalizableId() {
    throw new UnsupportedOperationException("stand-in");
  }

  public void addAction(Action a) {
    throw new UnsupportedOperationException("stand-in");
  }

  public <T extends Action> List<T> getActions(Class<T> type) {
    throw new UnsupportedOperationException("stand-in");
  }

  public synchronized void save() throws IOException {
    throw new UnsupportedOperationException("stand-in");
  }
}
