package io.division.core.manifest;

import io.division.core.DivisionException;

/** A manifest that cannot be used; the message names the file and the document index. */
public class ManifestException extends DivisionException {
  public ManifestException(String message) {
    super(Reason.INVALID, message);
  }
}
