/*
 * STAND-IN, compiled only by division-jenkins-plugin/glue-check, never packaged or shipped.
 * Mirrors jenkinsci/jenkins @ ff9430ee1dc6e319349a488650d914444fe141f3 (2.579-SNAPSHOT, 2026-08-21)
 *   core/src/main/java/hudson/ExtensionList.java
 * Same package, name, type parameters and signatures for the members below; members, supertypes
 * and annotations the Division glue does not use are left out.
 */
package hudson;

import java.util.AbstractList;

public class ExtensionList<T> extends AbstractList<T> {
  public static <U> U lookupSingleton(Class<U> type) {
    throw new UnsupportedOperationException("stand-in");
  }

  @Override
  public T get(int index) {
    throw new UnsupportedOperationException("stand-in");
  }

  @Override
  public int size() {
    throw new UnsupportedOperationException("stand-in");
  }
}
