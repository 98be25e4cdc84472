/*
 * STAND-IN, compiled only by division-jenkins-plugin/glue-check, never packaged or shipped.
 * Mirrors jenkinsci/jenkins @ ff9430ee1dc6e319349a488650d914444fe141f3 (2.579-SNAPSHOT, 2026-08-21)
 *   core/src/main/java/hudson/model/Result.java
 * Same package, name, type parameters and signatures for the members below; members, supertypes
 * and annotations the Division glue does not use are left out.
 * Named only because StepContext.setResult(Result) takes it; the glue never sets a result.
 */
package hudson.model;

import java.io.Serializable;

public final class Result implements Serializable {
  private static final long serialVersionUID = 1L;

  private Result() {}
}
