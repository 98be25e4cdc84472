/*
 * STAND-IN, compiled only by division-jenkins-plugin/glue-check, never packaged or shipped.
 * Mirrors jenkinsci/jenkins @ ff9430ee1dc6e319349a488650d914444fe141f3 (2.579-SNAPSHOT, 2026-08-21)
 *   core/src/main/java/jenkins/model/Jenkins.java
 * Same package, name, type parameters and signatures for the members below; members, supertypes
 * and annotations the Division glue does not use are left out.
 * Authentication is Spring Security's own (from Maven Central), as in the real class.
 */
package jenkins.model;

import java.io.File;
import org.springframework.security.core.Authentication;

public class Jenkins {
  private Jenkins() {}

  public static Jenkins get() throws IllegalStateException {
    throw new UnsupportedOperationException("stand-in");
  }

  public static Authentication getAuthentication2() {
    throw new UnsupportedOperationException("stand-in");
  }

  public File getRootDir() {
    throw new UnsupportedOperationException("stand-in");
  }
}
