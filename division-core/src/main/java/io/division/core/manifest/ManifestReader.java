package io.division.core.manifest;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.division.core.model.Json;
import io.division.core.model.Messages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads manifests: multi-document YAML or JSON, {@code kind: List} expanded into its items, files
 * or folders (their .yaml, .yml and .json files, sorted). Every problem names the file and the
 * document.
 */
public final class ManifestReader {
  private ManifestReader() {}

  public static List<Document> readPath(Path path) {
    if (Files.isDirectory(path)) {
      List<Path> files;
      try (Stream<Path> s = Files.list(path)) {
        files =
            s.filter(p -> p.getFileName().toString().matches(".*\\.(ya?ml|json)$"))
                .sorted()
                .toList();
      } catch (IOException e) {
        throw new ManifestException("cannot read folder " + path + ": " + e.getMessage());
      }
      List<Document> all = new ArrayList<>();
      for (Path f : files) all.addAll(readPath(f));
      return all;
    }
    String text;
    try {
      text = Files.readString(path);
    } catch (java.nio.file.NoSuchFileException e) {
      throw new ManifestException(path + ": no such file");
    } catch (IOException e) {
      throw new ManifestException("cannot read " + path + ": " + e.getMessage());
    }
    return read(path.toString(), text);
  }

  public static List<Document> read(String source, String text) {
    String trimmed = text.stripLeading();
    boolean json = trimmed.startsWith("{") || trimmed.startsWith("[");
    List<JsonNode> nodes = json ? readJson(source, text) : readYaml(source, text);
    List<Document> docs = new ArrayList<>();
    int index = 0;
    for (JsonNode node : nodes) {
      index++;
      // An empty document between two '---' separators reads as null or as an empty string.
      if (node == null
          || node.isNull()
          || node.isMissingNode()
          || (node.isTextual() && node.asText().isBlank())) continue;
      if (!node.isObject()) {
        throw new ManifestException(
            source + " document " + index + ": expected an object with kind and metadata");
      }
      if ("List".equals(node.path("kind").asText()) && node.path("items").isArray()) {
        for (JsonNode item : node.get("items")) docs.add(new Document(source, index, item));
      } else {
        docs.add(new Document(source, index, node));
      }
    }
    return docs;
  }

  private static List<JsonNode> readJson(String source, String text) {
    List<JsonNode> nodes = new ArrayList<>();
    try (JsonParser parser = Json.jsonParser(text)) {
      for (JsonNode n = Json.readNext(parser); n != null; n = Json.readNext(parser)) {
        if (n.isArray()) n.forEach(nodes::add);
        else nodes.add(n);
      }
    } catch (JsonProcessingException e) {
      throw new ManifestException(
          source + " document " + (nodes.size() + 1) + ": invalid JSON: " + describe(e));
    } catch (IOException e) {
      throw new ManifestException(source + ": " + e.getMessage());
    }
    return nodes;
  }

  private static List<JsonNode> readYaml(String source, String text) {
    List<JsonNode> nodes = new ArrayList<>();
    try (JsonParser parser = AliasFreeYamlParser.open(text)) {
      for (JsonNode n = Json.readNext(parser); n != null; n = Json.readNext(parser)) nodes.add(n);
    } catch (JsonProcessingException e) {
      throw new ManifestException(
          source + " document " + (nodes.size() + 1) + ": invalid YAML: " + describe(e));
    } catch (IOException | RuntimeException e) {
      throw new ManifestException(
          source
              + " document "
              + (nodes.size() + 1)
              + ": invalid YAML: "
              + Messages.oneLine(e.getMessage()));
    }
    return nodes;
  }

  private static String describe(JsonProcessingException e) {
    JsonLocation loc = e.getLocation();
    String msg = Messages.oneLine(e.getOriginalMessage());
    return loc == null
        ? msg
        : msg + " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
  }
}
