package io.division.cli;

import io.division.core.manifest.Document;
import io.division.core.manifest.ManifestException;
import io.division.core.manifest.ManifestReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads every {@code -f} source (file, folder, or {@code -} for stdin) before anything is written.
 */
final class Manifests {
  private Manifests() {}

  static List<Document> read(List<String> sources, InputStream stdin) {
    List<Document> docs = new ArrayList<>();
    for (String source : sources) {
      if (source.equals("-")) {
        try {
          docs.addAll(
              ManifestReader.read(
                  "<stdin>", new String(stdin.readAllBytes(), StandardCharsets.UTF_8)));
        } catch (IOException e) {
          throw new ManifestException("cannot read stdin: " + e.getMessage());
        }
      } else {
        docs.addAll(ManifestReader.readPath(Path.of(source)));
      }
    }
    return docs;
  }
}
