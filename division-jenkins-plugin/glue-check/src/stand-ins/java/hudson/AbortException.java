/*
 * STAND-IN, compiled only by division-jenkins-plugin/glue-check, never packaged or shipped.
 * Mirrors jenkinsci/jenkins @ ff9430ee1dc6e319349a488650d914444fe141f3 (2.579-SNAPSHOT, 2026-08-21)
 *   core/src/main/java/hudson/AbortException.java
 * Same package, name, type parameters and signatures for the members below; members, supertypes
 * and annotations the Division glue does not use are left out.
 * The constructors behave as the real ones (IOException's).
 */
package hudson;

import java.io.IOException;

public class AbortException extends IOException {
  private static final long serialVersionUID = 1L;

  public AbortException() {}

  public AbortException(String message) {
    super(message);
  }
}
