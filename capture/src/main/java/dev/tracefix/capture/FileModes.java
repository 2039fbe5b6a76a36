package dev.tracefix.capture;

import dev.tracefix.capture.ffm.ProcessUmask;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Who may read what tracefix writes (databases, spool, exports, reports, notebooks). By default
 * only the owner: files 0600, folders 0700. With {@code TRACEFIX_GROUP_READ=1} (or the CLI's {@code
 * --group-read}) the owner's group may read too: 0640 and 0750, so an on-call group can share a
 * folder; made setgid ({@code chmod g+s}), the folder hands its group to everything created in it.
 * Keys are never group-readable (see {@code redact.KeyStore}).
 *
 * <p>{@link #applyToProcess} sets the umask, which also reaches files native code creates (DuckDB
 * writes the database, its WAL and Parquet files itself); {@link #tighten} and {@link #tightenTree}
 * fix what was created before or outside it.
 */
public enum FileModes {
  PRIVATE(0077, "rw-------", "rwx------"),
  GROUP_READ(0027, "rw-r-----", "rwxr-x---");

  /** Set to {@code 1} (or {@code true}/{@code yes}) to let the group read. */
  public static final String GROUP_READ_ENV = "TRACEFIX_GROUP_READ";

  private static volatile FileModes applied;

  private final int umask;
  private final Set<PosixFilePermission> file;
  private final Set<PosixFilePermission> directory;

  FileModes(int umask, String file, String directory) {
    this.umask = umask;
    this.file = PosixFilePermissions.fromString(file);
    this.directory = PosixFilePermissions.fromString(directory);
  }

  /** What {@link #GROUP_READ_ENV} asks for; {@link #PRIVATE} when it is unset or off. */
  public static FileModes fromEnvironment() {
    return of(System.getenv(GROUP_READ_ENV));
  }

  static FileModes of(String groupRead) {
    if (groupRead == null) {
      return PRIVATE;
    }
    return switch (groupRead.strip().toLowerCase(Locale.ROOT)) {
      case "1", "true", "yes", "on" -> GROUP_READ;
      case "", "0", "false", "no", "off" -> PRIVATE;
      default ->
          throw new CaptureException(
              CaptureException.Kind.USER,
              GROUP_READ_ENV + "='" + groupRead + "' is not understood; set it to 1 or 0");
    };
  }

  /**
   * The modes this process applied, else what the environment asks for; an unreadable setting reads
   * as {@link #PRIVATE} here (the CLI refuses it at start, naming it).
   */
  public static FileModes active() {
    FileModes a = applied;
    if (a != null) {
      return a;
    }
    try {
      return fromEnvironment();
    } catch (CaptureException unreadable) {
      return PRIVATE;
    }
  }

  /**
   * Makes these the process's modes: the umask (for every file created from now on, by Java or
   * native code) and {@link #active()}. Empty when done, else why the umask could not be set (the
   * explicit {@link #tighten} calls still apply).
   */
  public Optional<String> applyToProcess() {
    applied = this;
    try {
      ProcessUmask.set(umask);
      return Optional.empty();
    } catch (UnsupportedOperationException e) {
      return Optional.of(e.getMessage());
    }
  }

  public int umask() {
    return umask;
  }

  public Set<PosixFilePermission> fileMode() {
    return EnumSet.copyOf(file);
  }

  public Set<PosixFilePermission> directoryMode() {
    return EnumSet.copyOf(directory);
  }

  /** For {@code Files.createFile}/{@code createTempFile}: born with no more than these bits. */
  public FileAttribute<Set<PosixFilePermission>> fileAttribute() {
    return PosixFilePermissions.asFileAttribute(file);
  }

  public FileAttribute<Set<PosixFilePermission>> directoryAttribute() {
    return PosixFilePermissions.asFileAttribute(directory);
  }

  /**
   * Removes from {@code path} (a file or folder; a symbolic link is left alone) the permission bits
   * these modes do not grant. Never adds a bit, and leaves a path that has none to remove
   * untouched, so a setgid folder keeps its setgid bit. A missing path is ignored.
   */
  public void tighten(Path path) {
    try {
      if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(path)) {
        return;
      }
      Set<PosixFilePermission> allowed =
          Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS) ? directory : file;
      Set<PosixFilePermission> now = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
      if (!allowed.containsAll(now)) {
        Set<PosixFilePermission> kept = EnumSet.noneOf(PosixFilePermission.class);
        kept.addAll(now);
        kept.retainAll(allowed);
        Files.setPosixFilePermissions(path, kept);
      }
    } catch (UnsupportedOperationException notPosix) {
      // A file system without POSIX modes: nothing to tighten.
    } catch (IOException e) {
      throw new UncheckedIOException("cannot restrict the permissions of " + path + ": " + e, e);
    }
  }

  /** {@link #tighten} on {@code root} and everything below it (links not followed). */
  public void tightenTree(Path root) {
    if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
      tighten(root);
      return;
    }
    try {
      Files.walkFileTree(
          root,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
              tighten(dir);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
              tighten(file);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot restrict the permissions under " + root + ": " + e, e);
    }
  }
}
