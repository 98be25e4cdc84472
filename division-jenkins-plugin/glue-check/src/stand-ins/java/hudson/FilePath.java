/*
 * STAND-IN, compiled only by division-jenkins-plugin/glue-check, never packaged or shipped.
 * Mirrors jenkinsci/jenkins @ ff9430ee1dc6e319349a488650d914444fe141f3 (2.579-SNAPSHOT, 2026-08-21)
 *   core/src/main/java/hudson/FilePath.java
 * Same package, name, type parameters and signatures for the members below; members, supertypes
 * and annotations the Division glue does not use are left out.
 */
package hudson;

import java.io.IOException;
import java.io.Serializable;

public final class FilePath implements Serializable {
  private static final long serialVersionUID = 1L;

  public FilePath child(String relOrAbsolute) {
    throw new UnsupportedOperationException("stand-in");
  }

  public boolean exists() throws IOException, InterruptedException {
    throw new UnsupportedOperationException("stand-in");
  }

  public String readToString() throws IOException, InterruptedException {
    throw new UnsupportedOperationException("stand-in");
  }

  public String getRemote() {
    throw new UnsupportedOperationException("stand-in");
  }
}
