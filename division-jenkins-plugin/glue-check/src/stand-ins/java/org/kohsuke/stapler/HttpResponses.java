/*
 * STAND-IN, compiled only by division-jenkins-plugin/glue-check, never packaged or shipped.
 * Mirrors jenkinsci/stapler @ 135bbbc88aa447ced53f9d4da023ab95b9b315d0 (2026-08-20)
 *   core/src/main/java/org/kohsuke/stapler/HttpResponses.java
 * Same package, name, type parameters and signatures for the members below; members, supertypes
 * and annotations the Division glue does not use are left out.
 */
package org.kohsuke.stapler;

public class HttpResponses {
  public static HttpResponse redirectToDot() {
    throw new UnsupportedOperationException("stand-in");
  }

  public static HttpResponseException errorWithoutStack(final int code, final String errorMessage) {
    throw new UnsupportedOperationException("stand-in");
  }
}
