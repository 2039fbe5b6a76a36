package dev.tracefix.capture.proc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Turns a cgroup v2 id (what BPF's bpf_get_current_cgroup_id returns: the inode number of the
 * cgroup's directory) into its path, for processes gone before /proc could be read.
 */
public final class CgroupPaths {
  /** The root cgroup's kernfs node is always the first one. */
  private static final long ROOT_ID = 1;

  private final Optional<Path> mount;
  private final Map<Long, Optional<String>> cache = new HashMap<>();

  CgroupPaths(Optional<Path> mount) {
    this.mount = mount;
  }

  /** Uses the cgroup2 mount listed in /proc/self/mountinfo, if there is one. */
  public static CgroupPaths system() {
    try (Stream<String> lines = Files.lines(Path.of("/proc/self/mountinfo"))) {
      return new CgroupPaths(
          lines
              .map(line -> line.split(" "))
              .filter(f -> f.length > 8 && "cgroup2".equals(fsType(f)))
              .map(f -> Path.of(f[4]))
              .findFirst());
    } catch (IOException e) {
      return new CgroupPaths(Optional.empty());
    }
  }

  /** mountinfo: optional fields end at "-", then the file system type. */
  private static String fsType(String[] fields) {
    for (int i = 6; i < fields.length - 1; i++) {
      if (fields[i].equals("-")) {
        return fields[i + 1];
      }
    }
    return "";
  }

  /** Where cgroup2 is mounted, if it is. */
  public Optional<Path> mount() {
    return mount;
  }

  public Optional<String> pathOf(long cgroupId) {
    if (cgroupId == ROOT_ID) {
      return Optional.of("/");
    }
    return cache.computeIfAbsent(cgroupId, this::search);
  }

  private Optional<String> search(long cgroupId) {
    if (mount.isEmpty()) {
      return Optional.empty();
    }
    Path root = mount.get();
    try (Stream<Path> dirs = Files.walk(root)) {
      return dirs.filter(Files::isDirectory)
          .filter(dir -> inode(dir) == cgroupId)
          .findFirst()
          .map(dir -> "/" + root.relativize(dir));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static long inode(Path dir) {
    try {
      return ((Number) Files.getAttribute(dir, "unix:ino")).longValue();
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
