package io.division.core.condition;

/** A malformed condition, rejected before any waiting; names the expression and the 1-based column. */
public final class ConditionSyntaxException extends IllegalArgumentException {
  private final int column;

  public ConditionSyntaxException(String expression, String problem, int column) {
    super("invalid condition \"" + expression + "\": " + problem + (column > 0 ? " at column " + column : ""));
    this.column = column;
  }

  public int column() {
    return column;
  }
}
