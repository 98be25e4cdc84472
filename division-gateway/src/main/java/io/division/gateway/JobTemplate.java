package io.division.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.division.core.DivisionException;
import io.division.core.model.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the cluster's admins let an install run, read from a YAML file the gateway is started with
 * (never from the store). Store values reach the container only as DIV_* environment variables;
 * {@code $(DIV_REF)} in command or args is Kubernetes' own substitution from those variables, not a
 * shell's.
 */
public record JobTemplate(
    String namespace,
    String image,
    List<String> command,
    List<String> args,
    Map<String, String> env,
    String serviceAccountName,
    Map<String, Map<String, String>> resources,
    int backoffLimit,
    long activeDeadlineSeconds) {

  /** The default: helmfile, as the original's Brigade scripts ran it. */
  public static final JobTemplate DEFAULT =
      new JobTemplate(
          "default",
          "ghcr.io/helmfile/helmfile:v0.169.1",
          List.of("helmfile"),
          List.of(
              "--environment",
              "$(DIV_NAMESPACE)",
              "--selector",
              "name=$(DIV_APP)",
              "--set",
              "ref=$(DIV_REF)",
              "apply"),
          Map.of(),
          null,
          Map.of(),
          0,
          1800);

  public JobTemplate {
    if (image == null || image.isBlank())
      throw DivisionException.invalid("job template: image is required");
    command = command == null ? List.of() : List.copyOf(command);
    args = args == null ? List.of() : List.copyOf(args);
    env = env == null ? Map.of() : Map.copyOf(env);
    resources = resources == null ? Map.of() : Map.copyOf(resources);
    namespace = namespace == null || namespace.isBlank() ? "default" : namespace;
  }

  public static JobTemplate load(Path file) {
    JsonNode n;
    try {
      n = Json.yaml().readTree(Files.readString(file));
    } catch (IOException e) {
      throw DivisionException.invalid(
          "job template " + file + ": " + e.getMessage().lines().findFirst().orElse(""));
    }
    if (n == null || !n.isObject())
      throw DivisionException.invalid("job template " + file + ": expected a mapping");
    Map<String, String> env = new LinkedHashMap<>();
    n.path("env").properties().forEach(e -> env.put(e.getKey(), e.getValue().asText()));
    Map<String, Map<String, String>> resources = new LinkedHashMap<>();
    n.path("resources")
        .properties()
        .forEach(
            e -> {
              Map<String, String> q = new LinkedHashMap<>();
              e.getValue().properties().forEach(v -> q.put(v.getKey(), v.getValue().asText()));
              resources.put(e.getKey(), q);
            });
    try {
      return new JobTemplate(
          n.path("namespace").asText(null),
          n.path("image").asText(null),
          strings(n.path("command"), DEFAULT.command()),
          strings(n.path("args"), DEFAULT.args()),
          env,
          n.path("serviceAccountName").asText(null),
          resources,
          n.path("backoffLimit").asInt(0),
          n.path("activeDeadlineSeconds").asLong(1800));
    } catch (IllegalArgumentException | DivisionException e) {
      throw DivisionException.invalid("job template " + file + ": " + e.getMessage());
    }
  }

  private static List<String> strings(JsonNode n, List<String> fallback) {
    if (n.isMissingNode() || n.isNull()) return fallback;
    List<String> out = new ArrayList<>();
    n.forEach(v -> out.add(v.asText()));
    return out;
  }
}
