/*
 * STAND-IN, compiled only by division-jenkins-plugin/glue-check, never packaged or shipped.
 * Mirrors jenkinsci/stapler @ 135bbbc88aa447ced53f9d4da023ab95b9b315d0 (2026-08-20)
 *   core/src/main/java/org/kohsuke/stapler/HttpResponse.java
 * Same package, name, type parameters and signatures for the members below; members, supertypes
 * and annotations the Division glue does not use are left out.
 * The real interface has generateResponse(...) overloads; the glue only returns HttpResponses'.
 */
package org.kohsuke.stapler;

public interface HttpResponse {}
