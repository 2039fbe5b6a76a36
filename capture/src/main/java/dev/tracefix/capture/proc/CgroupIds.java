package dev.tracefix.capture.proc;

import dev.tracefix.capture.CaptureException;
import dev.tracefix.capture.CaptureException.Kind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The cgroup v2 ids of cgroup directories a capture is limited to: the inode number of each
 * directory (what bpf_get_current_cgroup_id returns for its tasks) and of every cgroup below it
 * that exists now. The kernel compares ids only, so a cgroup created later under one of them is not
 * followed.
 */
public final class CgroupIds {
  private CgroupIds() {}

  /**
   * Resolves each path, given as {@code /proc/PID/cgroup} shows it (relative to the cgroup2 mount)
   * or as a full path under the mount. A path that is not a cgroup directory is a user error naming
   * it.
   */
  public static Set<Long> resolve(List<String> paths, CgroupPaths cgroups) {
    Set<Long> ids = new LinkedHashSet<>();
    if (paths.isEmpty()) {
      return ids;
    }
    Path mount =
        cgroups
            .mount()
            .orElseThrow(
                () ->
                    new CaptureException(
                        Kind.KERNEL_FEATURE,
                        "--cgroup needs cgroup v2, but no cgroup2 file system is mounted"));
    for (String given : paths) {
      Path dir = directoryOf(given, mount);
      if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)
          || !Files.exists(dir.resolve("cgroup.procs"))) {
        throw new CaptureException(
            Kind.USER,
            "cgroup '"
                + given
                + "' does not exist: no cgroup v2 directory "
                + dir
                + " (see /proc/PID/cgroup for a process's cgroup)");
      }
      try (Stream<Path> tree = Files.walk(dir)) {
        tree.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
            .forEach(p -> ids.add(inode(p)));
      } catch (IOException | UncheckedIOException e) {
        throw new CaptureException(
            Kind.USER, "cannot read cgroup directory " + dir + ": " + e.getMessage(), e);
      }
    }
    return ids;
  }

  private static Path directoryOf(String given, Path mount) {
    Path p = Path.of(given).normalize();
    if (p.startsWith(mount)) {
      return p;
    }
    String relative = given.startsWith("/") ? given.substring(1) : given;
    Path dir = mount.resolve(relative).normalize();
    if (!dir.startsWith(mount)) {
      throw new CaptureException(
          Kind.USER, "cgroup '" + given + "' is outside the cgroup2 mount " + mount);
    }
    return dir;
  }

  private static long inode(Path dir) {
    try {
      return ((Number) Files.getAttribute(dir, "unix:ino", LinkOption.NOFOLLOW_LINKS)).longValue();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
