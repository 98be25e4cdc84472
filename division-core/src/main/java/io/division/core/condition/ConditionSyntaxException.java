package io.division.core.condition;

import io.division.core.DivisionException;

/**
 * A malformed condition, rejected before any waiting; names the expression and the 1-based column.
 */
public final class ConditionSyntaxException extends DivisionException {
  private final int column;

  public ConditionSyntaxException(String expression, String problem, int column) {
    super(
        Reason.INVALID,
        "invalid condition \""
            + expression
            + "\": "
            + problem
            + (column > 0 ? " at column " + column : ""));
    this.column = column;
  }

  public int column() {
    return column;
  }
}
