package dev.tracefix.capture.redact;

import dev.tracefix.capture.CaptureException;
import dev.tracefix.capture.CaptureException.Kind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;

/**
 * The local key store: a 0700 directory holding {@code current.key} (0600, hex of 32 random bytes),
 * created on first use. Rotation keeps the old key as {@code <keyId>.key} so earlier tokens can
 * still be matched locally; tokens made under different keys never match.
 */
public final class KeyStore {
  static final String CURRENT = "current.key";
  private static final int KEY_BYTES = 32;
  private static final Set<PosixFilePermission> DIR_MODE =
      PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> FILE_MODE =
      PosixFilePermissions.fromString("rw-------");

  private KeyStore() {}

  /** The current key, creating the directory and the key on first use. */
  public static synchronized HmacKey current(Path dir) {
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
    HmacKey old = current(dir);
    try {
      Files.move(
          dir.resolve(CURRENT), dir.resolve(old.keyId() + ".key"), StandardCopyOption.ATOMIC_MOVE);
      return current(dir);
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
