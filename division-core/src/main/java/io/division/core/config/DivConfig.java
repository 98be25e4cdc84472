package io.division.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.division.core.DivisionException;
import io.division.core.model.Json;
import io.division.core.model.Messages;
import io.division.core.model.Resource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * div.yaml, as the original project defined it: {@code spec.source} names the store (dynamic
 * configuration: CRDs live in the store) and/or {@code spec.customResourceDefinitions} declares
 * kinds inline (static configuration). Without any file, the embedded store under {@code
 * $DIVISION_HOME} (default {@code ~/.division}) is used.
 */
public record DivConfig(
    Path file, String source, List<Resource> customResourceDefinitions, Path home) {
  public static final String FILE_NAME = "div.yaml";

  /**
   * Finds the configuration the way the CLI documents it: {@code --config}, then {@code
   * DIV_CONFIG}, then {@code ./div.yaml}, then the defaults.
   */
  public static DivConfig discover(Path explicit, Map<String, String> env, Path workingDir) {
    Location where = locate(explicit, env, workingDir);
    Path home = home(env);
    return where.file() == null
        ? new DivConfig(null, null, List.of(), home)
        : load(where.file(), home);
  }

  /** Which file {@link #discover} reads (null for none) and why, for {@code div config view}. */
  public record Location(Path file, String origin) {}

  public static Location locate(Path explicit, Map<String, String> env, Path workingDir) {
    if (explicit != null) return new Location(explicit, "--config");
    String fromEnv = env.get("DIV_CONFIG");
    if (fromEnv != null && !fromEnv.isBlank()) return new Location(Path.of(fromEnv), "$DIV_CONFIG");
    Path local = workingDir.resolve(FILE_NAME);
    if (Files.isRegularFile(local)) return new Location(local, "./" + FILE_NAME);
    return new Location(null, "default: the embedded store under $DIVISION_HOME");
  }

  public static Path home(Map<String, String> env) {
    String h = env.get("DIVISION_HOME");
    if (h != null && !h.isBlank()) return Path.of(h).toAbsolutePath();
    return Path.of(System.getProperty("user.home"), ".division");
  }

  public static DivConfig load(Path file, Path home) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw DivisionException.invalid("config file " + file + " does not exist");
    } catch (IOException e) {
      throw DivisionException.invalid("cannot read config file " + file + ": " + e.getMessage());
    }
    JsonNode root;
    try (var parser = io.division.core.manifest.AliasFreeYamlParser.open(text)) {
      root = Json.readNext(parser);
    } catch (IOException e) {
      throw DivisionException.invalid(file + ": invalid YAML: " + Messages.oneLine(e.getMessage()));
    }
    if (root == null || root.isMissingNode() || root.isNull())
      return new DivConfig(file, null, List.of(), home);
    if (!root.isObject())
      throw DivisionException.invalid(file + ": expected a mapping with metadata and spec");
    JsonNode spec = root.path("spec");
    String source = spec.path("source").isTextual() ? spec.get("source").asText() : null;
    List<Resource> crds = new ArrayList<>();
    int i = 0;
    for (JsonNode crd : spec.path("customResourceDefinitions")) {
      try {
        Resource r = Resource.fromJson(crd);
        if (r.kind() == null) r = r.withKind("CustomResourceDefinition");
        crds.add(r);
      } catch (IllegalArgumentException | DivisionException e) {
        throw DivisionException.invalid(
            file + ": spec.customResourceDefinitions[" + i + "]: " + e.getMessage());
      }
      i++;
    }
    return new DivConfig(file, source, crds, home);
  }

  /** The store URL with relative sqlite paths resolved against the config file's folder. */
  public String storeUrl() {
    if (source == null || source.isBlank()) return "sqlite:" + home.resolve("division.db");
    if (source.startsWith("sqlite:")) {
      Path p = Path.of(source.substring("sqlite:".length()));
      if (!p.isAbsolute() && file != null) {
        Path dir = file.toAbsolutePath().getParent();
        p = dir.resolve(p);
      }
      return "sqlite:" + p.toAbsolutePath().normalize();
    }
    return source;
  }
}
