package io.division.core.manifest;

/** A manifest that cannot be used; the message names the file and the document index. */
public class ManifestException extends IllegalArgumentException {
  public ManifestException(String message) {
    super(message);
  }
}
