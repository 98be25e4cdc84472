package io.division.core.selector;

/** A malformed label selector; the message names the selector, the problem and its column. */
public final class SelectorSyntaxException extends IllegalArgumentException {
  public SelectorSyntaxException(String selector, String problem, int column) {
    super("invalid label selector \"" + selector + "\": " + problem + " at column " + column);
  }
}
