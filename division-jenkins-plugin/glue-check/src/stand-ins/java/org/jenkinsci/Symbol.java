/*
 * STAND-IN, compiled only by division-jenkins-plugin/glue-check, never packaged or shipped.
 * Mirrors jenkinsci/lib-symbol-annotation @ 8a5658c51991bb9ed6b3cfca56abb6d43143de3d
 *   src/main/java/org/jenkinsci/Symbol.java
 * Same package, name, type parameters and signatures for the members below; members, supertypes
 * and annotations the Division glue does not use are left out.
 */
package org.jenkinsci;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Documented
public @interface Symbol {
  String[] value();
}
