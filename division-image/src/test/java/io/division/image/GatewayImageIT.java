package io.division.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image tar Jib built in this module's package phase (target/jib-image.tar), read as an OCI
 * image layout: its tag is what the chart pulls by default, its config runs the gateway as a
 * non-root user with container-aware JVM flags, and its layers, unpacked into a directory, run the
 * gateway and div from the image's own runtime and libraries (chroot as the image's user).
 */
class GatewayImageIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Path TAR = Path.of("target/jib-image.tar");
  static final String VERSION = System.getProperty("project.version");

  @TempDir static Path work;
  static Path layout;
  static JsonNode manifest;
  static JsonNode config;
  static Path root;

  @BeforeAll
  static void unpack() throws Exception {
    assertThat(TAR).as("built by `mvn -Pimage package`").exists();
    assertThat(VERSION).as("project.version from failsafe").isNotBlank();
    layout = Files.createDirectories(work.resolve("layout"));
    run(List.of("tar", "-xf", TAR.toAbsolutePath().toString(), "-C", layout.toString()));
    JsonNode index = JSON.readTree(layout.resolve("index.json").toFile());
    assertThat(index.path("manifests")).hasSize(1);
    JsonNode entry = index.path("manifests").get(0);
    manifest = JSON.readTree(blob(entry.path("digest").asText()).toFile());
    config = JSON.readTree(blob(manifest.path("config").path("digest").asText()).toFile());
    root = Files.createDirectories(work.resolve("rootfs"));
    for (JsonNode layer : manifest.path("layers"))
      run(
          List.of(
              "tar",
              "-xzf",
              blob(layer.path("digest").asText()).toString(),
              "-C",
              root.toString()));
  }

  static Path blob(String digest) {
    assertThat(digest).startsWith("sha256:");
    return layout.resolve("blobs/sha256/" + digest.substring("sha256:".length()));
  }

  @Test
  void theTagIsTheProjectVersionAndTheChartsDefaultImage() throws IOException {
    JsonNode index = JSON.readTree(layout.resolve("index.json").toFile());
    String ref =
        index
            .path("manifests")
            .get(0)
            .path("annotations")
            .path("org.opencontainers.image.ref.name")
            .asText();
    Path chart = Path.of("../charts/division");
    JsonNode values = new YAMLMapper().readTree(chart.resolve("values.yaml").toFile());
    JsonNode chartYaml = new YAMLMapper().readTree(chart.resolve("Chart.yaml").toFile());
    assertThat(ref).isEqualTo("ghcr.io/division/div:" + VERSION);
    assertThat(
            values.path("image").path("repository").asText()
                + ":"
                + chartYaml.path("appVersion").asText())
        .as("helm install pulls what this build tags")
        .isEqualTo(ref);
    assertThat(values.path("image").path("tag").asText()).isEmpty();
  }

  @Test
  void theManifestIsOciAndEveryBlobMatchesItsDigest() throws Exception {
    assertThat(Files.readString(layout.resolve("oci-layout"))).contains("\"imageLayoutVersion\"");
    assertThat(manifest.path("mediaType").asText())
        .isEqualTo("application/vnd.oci.image.manifest.v1+json");
    assertThat(manifest.path("config").path("mediaType").asText())
        .isEqualTo("application/vnd.oci.image.config.v1+json");
    List<JsonNode> all = new ArrayList<>();
    all.add(manifest.path("config"));
    manifest.path("layers").forEach(all::add);
    // project dependencies (our jars), dependencies, JVM arg files, the runtime (extra files)
    assertThat(manifest.path("layers")).hasSize(4);
    for (JsonNode descriptor : all) {
      Path file = blob(descriptor.path("digest").asText());
      assertThat(Files.size(file)).isEqualTo(descriptor.path("size").asLong());
      assertThat("sha256:" + sha256(file)).isEqualTo(descriptor.path("digest").asText());
    }
    for (JsonNode layer : manifest.path("layers"))
      assertThat(layer.path("mediaType").asText())
          .isEqualTo("application/vnd.oci.image.layer.v1.tar+gzip");
    assertThat(config.path("rootfs").path("diff_ids")).hasSize(4);
  }

  @Test
  void theConfigRunsTheGatewayAsANonRootUserWithContainerMemoryFlags() {
    assertThat(config.path("os").asText()).isEqualTo("linux");
    assertThat(config.path("architecture").asText()).isEqualTo("amd64");
    JsonNode c = config.path("config");
    assertThat(c.path("User").asText()).isEqualTo("65532:65532");
    List<String> entrypoint = texts(c.path("Entrypoint"));
    assertThat(entrypoint.get(0)).isEqualTo("/opt/java/bin/java");
    assertThat(entrypoint)
        .contains("-XX:MaxRAMPercentage=70.0", "-XX:+ExitOnOutOfMemoryError", "-XX:-UsePerfData")
        .containsSequence("-cp", "@/app/jib-classpath-file", "io.division.gateway.GatewayMain")
        .noneMatch(a -> a.startsWith("-Xmx"));
    assertThat(entrypoint.get(entrypoint.size() - 1)).isEqualTo("io.division.gateway.GatewayMain");
    assertThat(texts(c.path("Env"))).contains("PATH=/opt/java/bin", "JAVA_HOME=/opt/java");
    assertThat(c.path("ExposedPorts").has("8080/tcp")).isTrue();
    assertThat(c.path("Labels").path("org.opencontainers.image.version").asText())
        .isEqualTo(VERSION);
  }

  @Test
  void theFileSystemHoldsTheRuntimeItsLibrariesTheUserAndTheApplication() throws IOException {
    assertThat(Files.getPosixFilePermissions(root.resolve("opt/java/bin/java")))
        .contains(PosixFilePermission.OTHERS_EXECUTE);
    assertThat(root.resolve("lib64/ld-linux-x86-64.so.2")).isRegularFile();
    assertThat(root.resolve("lib/x86_64-linux-gnu/libc.so.6")).isRegularFile();
    assertThat(Files.size(root.resolve("opt/java/lib/security/cacerts"))).isGreaterThan(10_000);
    assertThat(Files.readString(root.resolve("etc/passwd"))).contains("nonroot:x:65532:65532:");
    assertThat(root.resolve("opt/java/lib/modules")).isRegularFile();
    assertThat(root.resolve("opt/java/jmods")).doesNotExist();
    String classpath = Files.readString(root.resolve("app/jib-classpath-file"));
    assertThat(classpath)
        .contains("/app/libs/division-gateway-" + VERSION + ".jar")
        .contains("/app/libs/division-cli-" + VERSION + ".jar")
        .contains("/app/libs/division-core-" + VERSION + ".jar");
    for (String entry : classpath.trim().split(":"))
      if (!entry.endsWith("/classes") && !entry.endsWith("/resources"))
        assertThat(root.resolve(entry.substring(1))).as(entry).isRegularFile();
  }

  /**
   * Runs the image's entry point from the unpacked layers, under chroot as user 65532 with a fresh
   * /proc (the loader finds libjli through /proc/self/exe), so nothing of this machine's own Java
   * or libraries is used. Needs root (true in CI and on the developers' machines here).
   */
  @Test
  void theEntryPointRunsFromTheImageAloneAsTheImagesUser() throws Exception {
    assumeTrue(isRoot(), "chroot and unshare need root");
    List<String> entrypoint = texts(config.path("config").path("Entrypoint"));
    List<String> help = new ArrayList<>(entrypoint);
    help.add("--help");
    Result gateway = inImage(help);
    assertThat(gateway.exit()).as(gateway.output()).isZero();
    assertThat(gateway.output()).contains("--cluster").contains("--executor");

    Result div =
        inImage(
            List.of(
                "/opt/java/bin/java",
                "-XX:-UsePerfData",
                "-cp",
                "@/app/jib-classpath-file",
                "io.division.cli.Main",
                "version"));
    assertThat(div.exit()).as(div.output()).isZero();
    assertThat(div.output()).contains("v" + VERSION).contains("17.0");

    // The trust store is real (TLS to DynamoDB and STS depends on it), not a dangling link.
    Result keytool =
        inImage(List.of("/opt/java/bin/keytool", "-list", "-cacerts", "-storepass", "changeit"));
    assertThat(keytool.exit()).as(keytool.output()).isZero();
    assertThat(keytool.output()).containsPattern("contains [1-9][0-9]+ entries");
  }

  record Result(int exit, String output) {}

  static Result inImage(List<String> command) throws Exception {
    Files.createDirectories(root.resolve("proc"));
    List<String> full = new ArrayList<>();
    full.addAll(
        List.of(
            "unshare",
            "--mount",
            "--pid",
            "--fork",
            "--mount-proc=" + root.resolve("proc"),
            "env",
            "-i",
            "PATH=/opt/java/bin", // the image's environment, none of this machine's
            chroot(),
            "--userspec=65532:65532",
            root.toString()));
    full.addAll(command);
    Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
    try {
      byte[] out = p.getInputStream().readAllBytes();
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    } finally {
      p.destroyForcibly();
    }
  }

  static String chroot() {
    for (String dir : List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin"))
      if (Files.isExecutable(Path.of(dir, "chroot"))) return dir + "/chroot";
    throw new AssertionError("chroot not found");
  }

  static boolean isRoot() {
    try {
      Process p = new ProcessBuilder("id", "-u").start();
      String uid = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      p.waitFor();
      return uid.equals("0");
    } catch (Exception e) {
      return false;
    }
  }

  static void run(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(command + ": " + out).isZero();
    } finally {
      p.destroyForcibly();
    }
  }

  static String sha256(Path file) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(md.digest());
  }

  static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
