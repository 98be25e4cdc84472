/*
 * STAND-IN, compiled only by division-jenkins-plugin/glue-check, never packaged or shipped.
 * Mirrors jenkinsci/stapler @ 135bbbc88aa447ced53f9d4da023ab95b9b315d0 (2026-08-20)
 *   core/src/main/java/org/kohsuke/stapler/interceptor/RequirePOST.java
 * Same package, name, type parameters and signatures for the members below; members, supertypes
 * and annotations the Division glue does not use are left out.
 * The real one carries @InterceptorAnnotation(RequirePOST.Processor.class), which answers any
 * other method than POST with 405 before the action method runs.
 */
package org.kohsuke.stapler.interceptor;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.FIELD})
public @interface RequirePOST {}
