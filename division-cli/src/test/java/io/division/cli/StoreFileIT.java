package io.division.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded store's file under stress, through ./div in separate processes: another process
 * holding the write lock, a file that is not a store, a damaged row, a tampered native library.
 */
class StoreFileIT {
  @TempDir Path home;
  CliHarness div;
  Path db;

  @BeforeEach
  void setUp() {
    div = new CliHarness(home);
    db = home.resolve("division.db");
  }

  private Path approval(String name) throws IOException {
    return div.write(
        name + ".yaml", "kind: Approval\nmetadata: {name: " + name + "}\nspec: {requester: ci}\n");
  }

  private static boolean hasSqlite3() {
    return Stream.of(System.getenv("PATH").split(":"))
        .anyMatch(d -> Files.isExecutable(Path.of(d, "sqlite3")));
  }

  /** The sqlite3 shell on the store, run to its end. */
  private void sqlite3(String sql) throws Exception {
    Process p = new ProcessBuilder("sqlite3", db.toString(), sql).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
  }

  @Test
  void aWriteUnderAnotherProcesssWriteLockGivesUpAfterTenSecondsNamingTheLockAndReadsStillRead()
      throws Exception {
    assumeTrue(hasSqlite3(), "the sqlite3 shell holds the lock");
    assertThat(div.exec("apply", "-f", approval("a1").toString()).code()).isZero();
    Process holder = new ProcessBuilder("sqlite3", db.toString()).redirectErrorStream(true).start();
    try {
      OutputStream in = holder.getOutputStream();
      in.write("BEGIN IMMEDIATE;\nSELECT 'locked';\n".getBytes(StandardCharsets.UTF_8));
      in.flush();
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
      assertThat(out.readLine()).isEqualTo("locked");

      CliHarness.Result read = div.exec("get", "approvals");
      assertThat(read.code()).as(read.err()).isZero();
      assertThat(read.out()).contains("a1");

      long start = System.nanoTime();
      CliHarness.Result write = div.exec("apply", "-f", approval("a2").toString());
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertThat(write.code()).isEqualTo(1);
      assertThat(write.err().lines()).hasSize(1);
      assertThat(write.err())
          .startsWith("error: ")
          .contains(
              "sqlite:"
                  + db
                  + " is locked: another process held its write lock for more than 10 s");
      assertThat(took).isBetween(Duration.ofSeconds(9), Duration.ofSeconds(30));

      CliHarness.Result patch =
          div.exec(
              "patch",
              "approval",
              "a1",
              "--type",
              "merge",
              "-p",
              "{\"spec\":{\"description\":\"x\"}}");
      assertThat(patch.code()).isEqualTo(1);
      assertThat(patch.err()).contains("is locked");

      in.write("ROLLBACK;\n.quit\n".getBytes(StandardCharsets.UTF_8));
      in.close();
      assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      holder.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    assertThat(div.exec("apply", "-f", approval("a2").toString()).code()).isZero();
    assertThat(div.exec("get", "approvals", "-o", "name").out()).contains("a1", "a2");
  }

  @Test
  void anEmptyOrForeignStoreFileIsRefusedWithOneLineAndLeftAsItIs() throws Exception {
    Files.createFile(db);
    for (List<String> args :
        List.of(List.of("get", "approvals"), List.of("apply", "-f", approval("a1").toString()))) {
      CliHarness.Result r = div.exec(args.toArray(String[]::new));
      assertThat(r.code()).as(String.join(" ", args)).isEqualTo(1);
      assertThat(r.err().lines()).hasSize(1);
      assertThat(r.err())
          .startsWith(
              "error: sqlite:" + db + " is not a Division store: the file is empty (0 bytes)");
    }
    assertThat(Files.size(db)).isZero();

    Files.writeString(db, "not a database at all\n");
    CliHarness.Result r = div.exec("get", "approvals");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("is not a Division store: it is not an SQLite database");
    assertThat(Files.readString(db)).isEqualTo("not a database at all\n");
  }

  @Test
  void aDamagedRowIsNamedTheRestAreListedAndDivExitsNonZero() throws Exception {
    assumeTrue(hasSqlite3(), "the sqlite3 shell damages the row");
    for (String name : List.of("a1", "a2", "a3")) {
      assertThat(div.exec("apply", "-f", approval(name).toString()).code()).isZero();
    }
    sqlite3("UPDATE resources SET body = '{\"kind\": \"Appr' WHERE name = 'a2';");

    CliHarness.Result list = div.exec("get", "approvals");
    assertThat(list.code()).isEqualTo(1);
    assertThat(list.out()).contains("a1", "a3").doesNotContain("a2");
    assertThat(list.err().lines()).hasSize(1);
    assertThat(list.err())
        .startsWith("error: approval/a2 in namespace default is damaged in the store");

    CliHarness.Result one = div.exec("get", "approval", "a2", "a3");
    assertThat(one.code()).isEqualTo(1);
    assertThat(one.out()).contains("a3");
    assertThat(one.err()).contains("approval/a2 in namespace default is damaged");

    CliHarness.Result apply = div.exec("apply", "-f", approval("a2").toString());
    assertThat(apply.code()).isEqualTo(1);
    assertThat(apply.err().lines()).hasSize(1);
    assertThat(apply.err()).contains("approval/a2 in namespace default is damaged");

    assertThat(div.exec("delete", "approval", "a2").code()).isZero();
    CliHarness.Result after = div.exec("get", "approvals");
    assertThat(after.code()).isZero();
    assertThat(after.err()).isEmpty();
  }

  @Test
  void theNativeLibraryCacheIsPrivateUnderUmask000AndATamperedLibraryIsNotLoaded()
      throws Exception {
    CliHarness.Result first = underUmask000("get", "approvals");
    assertThat(first.code()).as(first.err()).isZero();
    Path cache = home.resolve("cache");
    Path lib;
    try (Stream<Path> files = Files.walk(cache)) {
      lib = files.filter(f -> f.getFileName().toString().endsWith(".so")).findFirst().orElseThrow();
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cache)))
        .isEqualTo("rwx------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(lib.getParent())))
        .isEqualTo("rwx------");
    String shipped = shippedSha256(lib.getFileName().toString());
    assertThat(sha256(lib)).isEqualTo(shipped);

    // Replaced by something else (here: not even a library): never loaded, extracted again.
    Files.writeString(lib, "#!/bin/sh\necho pwned\n");
    CliHarness.Result second = underUmask000("get", "approvals");
    assertThat(second.code()).as(second.err()).isZero();
    assertThat(sha256(lib)).isEqualTo(shipped);
  }

  private CliHarness.Result underUmask000(String... args) throws Exception {
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                "sh",
                "-c",
                "umask 000 && exec \"$0\" \"$@\"",
                CliHarness.repoRoot().resolve("div").toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(home.toFile());
    pb.environment().putAll(div.env);
    Process p = pb.redirectErrorStream(false).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new CliHarness.Result(p.exitValue(), out, err);
  }

  private static String shippedSha256(String file) throws Exception {
    String resource =
        "/org/sqlite/native/"
            + org.sqlite.util.OSInfo.getNativeLibFolderPathForCurrentOS()
            + "/"
            + file;
    try (InputStream in = StoreFileIT.class.getResourceAsStream(resource)) {
      assertThat(in).as(resource).isNotNull();
      return digest(in);
    }
  }

  private static String sha256(Path file) throws Exception {
    try (InputStream in = Files.newInputStream(file)) {
      return digest(in);
    }
  }

  private static String digest(InputStream in) throws Exception {
    DigestInputStream d = new DigestInputStream(in, MessageDigest.getInstance("SHA-256"));
    d.transferTo(OutputStream.nullOutputStream());
    return HexFormat.of().formatHex(d.getMessageDigest().digest());
  }
}
