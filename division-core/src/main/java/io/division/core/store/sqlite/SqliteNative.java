package io.division.core.store.sqlite;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * sqlite-jdbc extracts its native library to a fresh temporary file on every start (~120 ms, most
 * of a CLI call). Extracting it once into a cache folder and pointing the driver there removes that
 * cost from every later process.
 *
 * <p>What is loaded runs as the user, so the cache is guarded: its folders are created (or
 * tightened to) 0700 whatever the umask, a folder owned by someone else is not used, and the
 * library is loaded only when its SHA-256 matches the one recorded when it was extracted from the
 * driver's jar. A library that does not match (replaced, truncated) is extracted again. Recorded
 * sums are trusted only while the folder was private; a folder found open to others gets its
 * library checked against the jar itself.
 *
 * <p>Hashing the library costs more than the rest of a CLI call's store work (~1 MB through a JVM
 * that has not compiled SHA-256 yet), so a verified library is not hashed again while it is
 * provably the same file: a second record ({@code .verified}, beside the sum, whose format older
 * versions sharing the cache still read) keeps the sum with the library's device, inode, size,
 * mode, mtime and ctime when it was verified, and while all six match, the hash is skipped. Nobody
 * but the user (and root) can write into the 0700 folder, and any write, truncation, chmod, or a
 * file renamed over the library, changes its ctime or inode; ctime cannot be set by a process (only
 * by changing the system clock, which takes root). Timestamps have a kernel tick's granularity, so
 * a library changed within the tick of its verification would keep its ctime: as git does for its
 * index, the attributes are recorded only once the file's ctime is a few seconds old, and until
 * then it is hashed each time.
 */
final class SqliteNative {
  private static final Set<PosixFilePermission> PRIVATE =
      PosixFilePermissions.fromString("rwx------");

  /** A library whose ctime is younger than this is hashed each time (see above). */
  static final Duration RACY = Duration.ofSeconds(3);

  private static volatile boolean prepared;

  private SqliteNative() {}

  static synchronized void prepare(Path cacheRoot) {
    if (prepared || System.getProperty("org.sqlite.lib.path") != null) return;
    prepared = true;
    try {
      Path lib = extract(cacheRoot);
      if (lib == null) return; // no usable cache: the driver extracts its own copy as usual
      // The properties are global and DynamoDB Local's own SQLite loader reads the same names:
      // they are set only while the driver loads its library, once per JVM, then cleared.
      System.setProperty("org.sqlite.lib.path", lib.getParent().toString());
      System.setProperty("org.sqlite.lib.name", lib.getFileName().toString());
      try {
        org.sqlite.SQLiteJDBCLoader.initialize();
      } finally {
        System.clearProperty("org.sqlite.lib.path");
        System.clearProperty("org.sqlite.lib.name");
      }
    } catch (Exception e) {
      // The cache is an optimisation only; the driver extracts to a temporary file without it.
    }
  }

  /**
   * The verified library in the cache, extracting it first if it is missing or does not match; null
   * when the cache cannot be used safely (a folder of another user) or this platform has no bundled
   * library.
   */
  static Path extract(Path cacheRoot) throws IOException {
    return extract(cacheRoot, Instant.now());
  }

  /** {@link #extract(Path)} as of {@code now}, for tests that need the library to have aged. */
  static Path extract(Path cacheRoot, Instant now) throws IOException {
    String file = System.mapLibraryName("sqlitejdbc");
    String version = org.sqlite.SQLiteJDBCLoader.getVersion();
    // Keyed by the JVM's own platform names: asking sqlite-jdbc's OSInfo spawns a process.
    String platform =
        (System.getProperty("os.name") + "-" + System.getProperty("os.arch"))
            .replaceAll("[^A-Za-z0-9_.-]", "_");
    Path dir = cacheRoot.resolve("sqlite-jdbc-" + version + "-" + platform);
    Boolean rootWasPrivate = makePrivate(cacheRoot);
    Boolean dirWasPrivate = rootWasPrivate == null ? null : makePrivate(dir);
    if (dirWasPrivate == null) return null;
    Path lib = dir.resolve(file);
    Path sum = dir.resolve(file + ".sha256");
    if (rootWasPrivate && dirWasPrivate) {
      String recorded = read(sum);
      if (recorded != null) {
        String attributes = attributes(lib);
        if (attributes != null && (recorded + " " + attributes).equals(read(verified(sum)))) {
          return lib; // the very file that was verified, unchanged since
        }
        if (recorded.equals(sha256(lib))) {
          record(dir, sum, recorded, lib, now);
          return lib;
        }
      }
    } else {
      // Others could write here until now: neither the library nor its recorded sum is trusted.
      String shipped = shippedSum(file);
      if (shipped != null && shipped.equals(sha256(lib))) {
        record(dir, sum, shipped, lib, now);
        return lib;
      }
    }
    return extractFromJar(file, dir, lib, sum, now);
  }

  private static Path extractFromJar(String file, Path dir, Path lib, Path sum, Instant now)
      throws IOException {
    String resource = resourceName(file);
    Path tmp = Files.createTempFile(dir, file, ".tmp"); // 0600
    String written;
    try (InputStream in = SqliteNative.class.getResourceAsStream(resource)) {
      if (in == null) {
        Files.deleteIfExists(tmp);
        return null; // an unusual platform: let the driver find its own way
      }
      DigestInputStream digesting = new DigestInputStream(in, sha256Digest());
      Files.copy(digesting, tmp, StandardCopyOption.REPLACE_EXISTING);
      written = HexFormat.of().formatHex(digesting.getMessageDigest().digest());
    }
    if (!written.equals(sha256(tmp))) {
      Files.deleteIfExists(tmp);
      return null;
    }
    move(tmp, lib);
    record(dir, sum, written, lib, now);
    return written.equals(sha256(lib)) ? lib : null;
  }

  /**
   * Records the verified sum, and with it the library's attributes once they can be told apart from
   * a later change (its ctime is older than {@link #RACY}); each file rewritten only if it changes.
   */
  private static void record(Path dir, Path sum, String sha256, Path lib, Instant now)
      throws IOException {
    if (!sha256.equals(read(sum))) write(dir, sum, sha256);
    String attributes = attributes(lib);
    FileTime ctime = attributes == null ? null : ctime(lib);
    Path verified = verified(sum);
    if (ctime != null && ctime.toInstant().isBefore(now.minus(RACY))) {
      String line = sha256 + " " + attributes;
      if (!line.equals(read(verified))) write(dir, verified, line);
    } else {
      Files.deleteIfExists(verified);
    }
  }

  private static Path verified(Path sum) {
    return sum.resolveSibling(sum.getFileName().toString().replace(".sha256", ".verified"));
  }

  /** Device, inode, size, mode, mtime and ctime of a regular file; null if unavailable. */
  private static String attributes(Path file) throws IOException {
    try {
      Map<String, Object> a =
          Files.readAttributes(
              file, "unix:dev,ino,size,mode,lastModifiedTime,ctime", LinkOption.NOFOLLOW_LINKS);
      return a.get("dev")
          + ":"
          + a.get("ino")
          + ":"
          + a.get("size")
          + ":"
          + Integer.toOctalString((Integer) a.get("mode"))
          + ":"
          + ((FileTime) a.get("lastModifiedTime")).to(TimeUnit.NANOSECONDS)
          + ":"
          + ((FileTime) a.get("ctime")).to(TimeUnit.NANOSECONDS);
    } catch (NoSuchFileException | UnsupportedOperationException | IllegalArgumentException e) {
      return null; // no such file, or no unix view here: the library is hashed each time
    }
  }

  private static FileTime ctime(Path file) throws IOException {
    return (FileTime) Files.getAttribute(file, "unix:ctime", LinkOption.NOFOLLOW_LINKS);
  }

  /**
   * Creates the folder 0700, or tightens an existing one of ours to 0700. Returns whether it was
   * private already (false: just tightened, or new), or null if it belongs to someone else.
   */
  private static Boolean makePrivate(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PRIVATE));
      Files.setPosixFilePermissions(dir, PRIVATE);
      return false;
    }
    if (!Files.getOwner(dir).getName().equals(System.getProperty("user.name"))) return null;
    if (Files.getPosixFilePermissions(dir).equals(PRIVATE)) return true;
    Files.setPosixFilePermissions(dir, PRIVATE);
    return false;
  }

  private static String resourceName(String file) {
    return "/org/sqlite/native/"
        + org.sqlite.util.OSInfo.getNativeLibFolderPathForCurrentOS()
        + "/"
        + file;
  }

  /** The SHA-256 of the library the driver's jar ships for this platform. */
  private static String shippedSum(String file) throws IOException {
    try (InputStream in = SqliteNative.class.getResourceAsStream(resourceName(file))) {
      if (in == null) return null;
      DigestInputStream digesting = new DigestInputStream(in, sha256Digest());
      digesting.transferTo(java.io.OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(digesting.getMessageDigest().digest());
    }
  }

  static String sha256(Path file) throws IOException {
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha256Digest())) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  /** A record's one line; null if there is none. */
  private static String read(Path record) throws IOException {
    try {
      String line = Files.readString(record, StandardCharsets.US_ASCII).trim();
      return line.isEmpty() ? null : line;
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  private static void write(Path dir, Path target, String line) throws IOException {
    Path tmp = Files.createTempFile(dir, target.getFileName().toString(), ".tmp");
    Files.writeString(tmp, line, StandardCharsets.US_ASCII);
    move(tmp, target);
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static MessageDigest sha256Digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }
}
