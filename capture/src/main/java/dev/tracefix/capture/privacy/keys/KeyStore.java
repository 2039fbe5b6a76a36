package dev.tracefix.capture.privacy.keys;

import dev.tracefix.capture.CaptureException;
import dev.tracefix.capture.CaptureException.Kind;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The local key store: a 0700 directory holding {@code current.key} (0600, hex of 32 random bytes),
 * created on first use. A key is one epoch: {@link #current} rotates it once it is older than the
 * schedule (daily by default), {@link #rotate} on demand. Rotation keeps the old key as {@code
 * <keyId>.key} so earlier tokens can still be matched locally; tokens made under different keys
 * never match. {@link #destroy} overwrites and deletes an old key, after which nothing on disk can
 * recompute its tokens.
 */
public final class KeyStore {
  static final String CURRENT = "current.key";
  private static final int KEY_BYTES = 32;
  private static final Set<PosixFilePermission> DIR_MODE =
      PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> FILE_MODE =
      PosixFilePermissions.fromString("rw-------");

  private KeyStore() {}

  /** Default epoch length: keys rotate daily. */
  public static final Duration DEFAULT_ROTATION = Duration.ofDays(1);

  /** One stored key: its id, when it was created, and whether it is the current one. */
  public record KeyInfo(String keyId, Instant createdAt, boolean current) {}

  /** The current key, rotated first if it is older than {@link #DEFAULT_ROTATION}. */
  public static HmacKey current(Path dir) {
    return current(dir, DEFAULT_ROTATION, Clock.systemUTC());
  }

  /**
   * The current key; if it was created more than {@code rotateEvery} before {@code clock.instant()}
   * it is rotated first, so a new epoch starts on schedule even if nobody asks for it.
   */
  public static synchronized HmacKey current(Path dir, Duration rotateEvery, Clock clock) {
    HmacKey key = currentUnrotated(dir);
    try {
      Instant created = Files.getLastModifiedTime(dir.resolve(CURRENT)).toInstant();
      if (created.plus(rotateEvery).isBefore(clock.instant())) {
        return rotate(dir);
      }
    } catch (IOException e) {
      throw new CaptureException(
          Kind.USER, "cannot read the age of the key in " + dir + ": " + e.getMessage(), e);
    }
    return key;
  }

  /** Every stored key, current one first; ids and dates only, never secrets. */
  public static synchronized List<KeyInfo> list(Path dir) {
    List<KeyInfo> keys = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return keys;
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".key")).toList()) {
        HmacKey k = read(f);
        boolean isCurrent = f.getFileName().toString().equals(CURRENT);
        keys.add(new KeyInfo(k.keyId(), Files.getLastModifiedTime(f).toInstant(), isCurrent));
      }
    } catch (IOException e) {
      throw new CaptureException(Kind.USER, "cannot list key store " + dir + ": " + e, e);
    }
    keys.sort(Comparator.comparing((KeyInfo k) -> !k.current()).thenComparing(KeyInfo::createdAt));
    return keys;
  }

  /** A kept old key (to match its tokens locally), if it has not been destroyed. */
  public static synchronized Optional<HmacKey> find(Path dir, String keyId) {
    Path f = dir.resolve(keyId + ".key");
    try {
      if (Files.exists(f)) {
        return Optional.of(read(f));
      }
      HmacKey cur = Files.exists(dir.resolve(CURRENT)) ? read(dir.resolve(CURRENT)) : null;
      return cur != null && cur.keyId().equals(keyId) ? Optional.of(cur) : Optional.empty();
    } catch (IOException e) {
      throw new CaptureException(Kind.USER, "cannot read key " + keyId + ": " + e, e);
    }
  }

  /**
   * Destroys an old key: its file is overwritten with zeros, synced, then deleted, so its tokens
   * can no longer be recomputed from anything in the store. The current key must be rotated first.
   */
  public static synchronized void destroy(Path dir, String keyId) {
    if (!keyId.matches("k_[0-9a-f]{12}")) {
      throw new CaptureException(Kind.USER, "'" + keyId + "' is not a key id (k_ + 12 hex)");
    }
    HmacKey cur = currentUnrotated(dir);
    if (cur.keyId().equals(keyId)) {
      throw new CaptureException(
          Kind.USER,
          "key "
              + keyId
              + " is the current key; rotate it"
              + " first ('tracefix policy rotate-key'), then destroy it");
    }
    Path f = dir.resolve(keyId + ".key");
    if (!Files.exists(f)) {
      throw new CaptureException(
          Kind.USER, "no key " + keyId + " in " + dir + " (already destroyed?)");
    }
    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
      long size = ch.size();
      ch.write(ByteBuffer.allocate((int) size), 0);
      ch.force(true);
    } catch (IOException e) {
      throw new CaptureException(Kind.USER, "cannot overwrite key " + f + ": " + e, e);
    }
    try {
      Files.delete(f);
    } catch (IOException e) {
      throw new CaptureException(Kind.USER, "cannot delete key " + f + ": " + e, e);
    }
  }

  /** The current key, creating the directory and the key on first use; never rotates. */
  private static HmacKey currentUnrotated(Path dir) {
    try {
      ensureDirectory(dir);
      Path file = dir.resolve(CURRENT);
      if (!Files.exists(file)) {
        try {
          writeNew(file);
        } catch (FileAlreadyExistsException raced) {
          // Another tracefix process created it first: use theirs.
        }
      }
      return read(file);
    } catch (IOException e) {
      throw new CaptureException(
          Kind.USER,
          "cannot use key store "
              + dir
              + ": "
              + e.getMessage()
              + " (the directory must be writable by this user)",
          e);
    }
  }

  /** Replaces the current key with a new one; the old one is kept under its key id. */
  public static synchronized HmacKey rotate(Path dir) {
    HmacKey old = currentUnrotated(dir);
    try {
      Files.move(
          dir.resolve(CURRENT), dir.resolve(old.keyId() + ".key"), StandardCopyOption.ATOMIC_MOVE);
      return currentUnrotated(dir);
    } catch (NoSuchFileException rotatedElsewhere) {
      return currentUnrotated(dir); // another tracefix process rotated at the same moment
    } catch (IOException e) {
      throw new CaptureException(
          Kind.USER, "cannot rotate key in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Short hash of the key: identifies it without revealing it. */
  static String keyId(byte[] secret) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update("tracefix-key-id\0".getBytes(StandardCharsets.US_ASCII));
      return "k_" + HexFormat.of().formatHex(sha.digest(secret), 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new CaptureException(Kind.INTERNAL, "SHA-256 is unavailable in this JDK", e);
    }
  }

  private static void ensureDirectory(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIR_MODE));
    }
    // Tighten a directory that existed (or was created under a permissive umask).
    Files.setPosixFilePermissions(dir, DIR_MODE);
  }

  private static void writeNew(Path file) throws IOException {
    byte[] secret = new byte[KEY_BYTES];
    new SecureRandom().nextBytes(secret);
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp" + ProcessHandle.current().pid());
    Files.deleteIfExists(tmp);
    // Created 0600 from the start: the secret is never readable by others, not even briefly.
    Files.createFile(tmp, PosixFilePermissions.asFileAttribute(FILE_MODE));
    Files.writeString(tmp, HexFormat.of().formatHex(secret) + "\n");
    try {
      Files.createLink(file, tmp); // fails if another process won the race
    } finally {
      Files.delete(tmp);
    }
  }

  private static HmacKey read(Path file) throws IOException {
    byte[] secret = HexFormat.of().parseHex(Files.readString(file).strip());
    if (secret.length < 16) {
      throw new IOException(file + " holds no valid key; delete it to create a new one");
    }
    return new HmacKey(keyId(secret), secret);
  }
}
