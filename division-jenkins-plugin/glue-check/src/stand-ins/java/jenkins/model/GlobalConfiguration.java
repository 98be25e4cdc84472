/*
 * STAND-IN, compiled only by division-jenkins-plugin/glue-check, never packaged or shipped.
 * Mirrors jenkinsci/jenkins @ ff9430ee1dc6e319349a488650d914444fe141f3 (2.579-SNAPSHOT, 2026-08-21)
 *   core/src/main/java/jenkins/model/GlobalConfiguration.java
 * Same package, name, type parameters and signatures for the members below; members, supertypes
 * and annotations the Division glue does not use are left out.
 * Its constructor runs Descriptor's, which throws here.
 */
package jenkins.model;

import hudson.ExtensionPoint;
import hudson.model.Describable;
import hudson.model.Descriptor;

public abstract class GlobalConfiguration extends Descriptor<GlobalConfiguration>
    implements ExtensionPoint, Describable<GlobalConfiguration> {
  protected GlobalConfiguration() {}
}
