package dev.tracefix.server.kernel.java;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The snippet VM's whole class path: copies of the jars it needs in a fresh folder of their own,
 * which is also the VM's working folder. Copies, because the originals may sit where the snippet
 * user cannot read (root's Maven repository under /root, 0700) and because a class path entry in
 * the server's folders could open them to snippets; nothing else (the key store least of all) is on
 * it. The folder is readable, not writable, by the snippet user.
 */
final class SnippetClasspath implements AutoCloseable {
  private static final Set<PosixFilePermission> DIR_MODE =
      PosixFilePermissions.fromString("rwxr-xr-x");
  private static final Set<PosixFilePermission> JAR_MODE =
      PosixFilePermissions.fromString("r--r--r--");

  private final Path dir;
  private final List<Path> jars;

  private SnippetClasspath(Path dir, List<Path> jars) {
    this.dir = dir;
    this.jars = List.copyOf(jars);
  }

  /**
   * Copies {@code originals} into a new folder under the JDK's temp folder.
   *
   * @param forOtherUser whether another user must reach the folder: then every folder above it must
   *     let others pass ({@code o+x}), or the snippet VM could not load its classes
   */
  static SnippetClasspath copyOf(List<Path> originals, boolean forOtherUser) throws IOException {
    Path dir = Files.createTempDirectory("tracefix-snippet-vm-");
    try {
      Files.setPosixFilePermissions(dir, DIR_MODE);
      if (forOtherUser) {
        checkReachable(dir);
      }
      List<Path> copies = new ArrayList<>();
      for (Path original : originals) {
        Path copy = dir.resolve(copies.size() + "-" + original.getFileName());
        Files.copy(original, copy);
        Files.setPosixFilePermissions(copy, JAR_MODE);
        copies.add(copy);
      }
      return new SnippetClasspath(dir, copies);
    } catch (IOException | RuntimeException e) {
      delete(dir);
      throw e;
    }
  }

  Path dir() {
    return dir;
  }

  List<Path> jars() {
    return jars;
  }

  private static void checkReachable(Path dir) throws IOException {
    for (Path p = dir.getParent(); p != null; p = p.getParent()) {
      if (!Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_EXECUTE)) {
        throw new IOException(
            "the snippet VM runs as another user and cannot reach its class path in "
                + dir
                + ": "
                + p
                + " is closed to other users; point java.io.tmpdir at a folder they can reach");
      }
    }
  }

  @Override
  public void close() {
    delete(dir);
  }

  private static void delete(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException ignored) {
      // a leftover copy of public jars in the temp folder is harmless
    }
  }
}
