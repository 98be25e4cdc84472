/*
 * STAND-IN, compiled only by division-jenkins-plugin/glue-check, never packaged or shipped.
 * Mirrors jenkinsci/aws-credentials-plugin @ 0efb28f71f9469677d7a64595fbfc4a32e2ed25b (2026-06-12)
 *   src/main/java/com/cloudbees/jenkins/plugins/awscredentials/AmazonWebServicesCredentials.java
 * Same package, name, type parameters and signatures for the members below; members, supertypes
 * and annotations the Division glue does not use are left out.
 * AwsCredentialsProvider is the AWS SDK v2's own (from Maven Central); the real interface also
 * extends the SDK v1 AWSCredentialsProvider, which the glue does not use.
 */
package com.cloudbees.jenkins.plugins.awscredentials;

import com.cloudbees.plugins.credentials.common.StandardCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

public interface AmazonWebServicesCredentials extends StandardCredentials, AwsCredentialsProvider {
  String getDisplayName();
}
