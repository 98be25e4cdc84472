/*
 * STAND-IN, compiled only by division-jenkins-plugin/glue-check, never packaged or shipped.
 * Mirrors jenkinsci/jenkins @ ff9430ee1dc6e319349a488650d914444fe141f3 (2.579-SNAPSHOT, 2026-08-21)
 *   core/src/main/java/hudson/security/Permission.java
 * Same package, name, type parameters and signatures for the members below; members, supertypes
 * and annotations the Division glue does not use are left out.
 */
package hudson.security;

public final class Permission {
  private Permission() {}

  public String getId() {
    throw new UnsupportedOperationException("stand-in");
  }

  public static Permission fromId(String id) {
    throw new UnsupportedOperationException("stand-in");
  }
}
