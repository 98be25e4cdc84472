package io.division.core.selector;

import io.division.core.DivisionException;

/** A malformed label selector; the message names the selector, the problem and its column. */
public final class SelectorSyntaxException extends DivisionException {
  public SelectorSyntaxException(String selector, String problem, int column) {
    super(
        Reason.INVALID,
        "invalid label selector \"" + selector + "\": " + problem + " at column " + column);
  }
}
