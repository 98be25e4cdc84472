package io.division.core.kind;

import io.division.core.DivisionException;

/** A CRD's additionalPrinterColumn: a table column read from the object with a JSONPath. */
public record PrinterColumn(String name, String type, String jsonPath, int priority) {
  public PrinterColumn {
    if (name == null || name.isBlank())
      throw DivisionException.invalid("printer column name is required");
    if (jsonPath == null || jsonPath.isBlank()) {
      throw DivisionException.invalid("printer column \"" + name + "\" needs a jsonPath");
    }
    type = type == null ? "string" : type;
  }
}
