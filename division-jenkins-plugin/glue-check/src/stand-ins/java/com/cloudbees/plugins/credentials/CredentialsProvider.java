/*
 * STAND-IN, compiled only by division-jenkins-plugin/glue-check, never packaged or shipped.
 * Mirrors jenkinsci/credentials-plugin @ d96751bcc06de7da229c321370456ea1cf7ca4ac (2026-04-22)
 *   src/main/java/com/cloudbees/plugins/credentials/CredentialsProvider.java
 * Same package, name, type parameters and signatures for the members below; members, supertypes
 * and annotations the Division glue does not use are left out.
 */
package com.cloudbees.plugins.credentials;

import com.cloudbees.plugins.credentials.common.IdCredentials;
import hudson.model.Run;

public abstract class CredentialsProvider {
  public static <C extends IdCredentials> C findCredentialById(
      String id, Class<C> type, Run<?, ?> run) {
    throw new UnsupportedOperationException("stand-in");
  }

  public static <C extends Credentials> C track(Run build, C credentials) {
    throw new UnsupportedOperationException("stand-in");
  }
}
