package io.division.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jenkins.plugins.casc.misc.ConfiguredWithCode;
import io.jenkins.plugins.casc.misc.JenkinsConfiguredWithCodeRule;
import io.jenkins.plugins.casc.misc.junit.jupiter.WithJenkinsConfiguredWithCode;
import org.junit.jupiter.api.Test;

/** The README's JCasC snippet configures the plugin. Runs only with {@code -Pjenkins}. */
@WithJenkinsConfiguredWithCode
class ConfigurationAsCodeTest {
  @Test
  @ConfiguredWithCode("casc.yaml")
  void theDivisionSectionSetsStoreNamespaceAndCredentials(JenkinsConfiguredWithCodeRule j) {
    DivisionConfiguration c = DivisionConfiguration.get();
    assertEquals("dynamodb://?region=eu-west-1", c.getStoreUrl());
    assertEquals("default", c.getNamespace());
    assertEquals("division-aws", c.getCredentialsId());
    assertEquals("/var/jenkins_home/division-signing-key", c.getSigningKeyFile());
    assertEquals("/var/jenkins_home/allowed_signers", c.getAllowedSignersFile());
  }
}
