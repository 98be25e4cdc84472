/*
 * STAND-IN, compiled only by division-jenkins-plugin/glue-check, never packaged or shipped.
 * Mirrors jenkinsci/jenkins @ ff9430ee1dc6e319349a488650d914444fe141f3 (2.579-SNAPSHOT, 2026-08-21)
 *   core/src/main/java/hudson/model/TaskListener.java
 * Same package, name, type parameters and signatures for the members below; members, supertypes
 * and annotations the Division glue does not use are left out.
 * The real interface extends SerializableOnlyOverRemoting and has default methods built on
 * getLogger(); the glue only prints to getLogger().
 */
package hudson.model;

import java.io.PrintStream;

public interface TaskListener {
  PrintStream getLogger();
}
