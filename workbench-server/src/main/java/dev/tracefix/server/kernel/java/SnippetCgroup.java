package dev.tracefix.server.kernel.java;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * A cgroup of its own for one notebook's snippet VM, with a CPU quota ({@code java_cpu}), so a
 * runaway snippet or a thread that never ends burns at most that much of the machine; killing the
 * group also ends processes a snippet started.
 *
 * <p>cgroup v2 ({@code cpu.max}) where our group, or its parent, already hands the {@code cpu}
 * controller to its children (nothing here enables a controller); else cgroup v1's {@code cpu}
 * hierarchy ({@code cpu.cfs_quota_us}), as on hybrid machines where cgroup2 (e.g. at {@code
 * /sys/fs/cgroup/unified}) has no {@code cpu} controller. Creating groups needs root (or a
 * delegated subtree); without one the VM runs unbounded and {@link #availability()} says why. The
 * VM joins its group before it starts: the command runs through {@code sh}, which writes its own
 * pid into {@code cgroup.procs} and then execs the VM, so there is no moment when it runs outside.
 */
final class SnippetCgroup implements AutoCloseable {
  private static final long PERIOD_US = 100_000;
  private static final AtomicLong COUNTER = new AtomicLong();

  private final Path dir;
  private final boolean v2;

  private SnippetCgroup(Path dir, boolean v2) {
    this.dir = dir;
    this.v2 = v2;
  }

  /** Where groups are made, or why none can be: one line for {@code serve}'s start. */
  static String availability() {
    return parent()
        .map(p -> "cgroup " + (p.v2 ? "v2" : "v1") + " cpu under " + p.dir)
        .orElse(
            "no cgroup cpu controller this process may use (needs root and cgroup v1 or v2"
                + " with the cpu controller); java_cpu is not enforced");
  }

  /** A new group with a quota of {@code cpus}; empty when no cgroup can be made here. */
  static Optional<SnippetCgroup> create(double cpus) {
    Optional<SnippetCgroup> parent = parent();
    if (parent.isEmpty()) {
      return Optional.empty();
    }
    Path dir =
        parent
            .get()
            .dir
            .resolve(
                "tracefix-snippet-"
                    + ProcessHandle.current().pid()
                    + "-"
                    + COUNTER.incrementAndGet());
    long quota = Math.max(1000, Math.round(cpus * PERIOD_US));
    try {
      Files.createDirectory(dir);
      if (parent.get().v2) {
        Files.writeString(dir.resolve("cpu.max"), quota + " " + PERIOD_US);
      } else {
        Files.writeString(dir.resolve("cpu.cfs_period_us"), Long.toString(PERIOD_US));
        Files.writeString(dir.resolve("cpu.cfs_quota_us"), Long.toString(quota));
      }
      return Optional.of(new SnippetCgroup(dir, parent.get().v2));
    } catch (IOException | RuntimeException e) {
      try {
        Files.deleteIfExists(dir);
      } catch (IOException ignored) {
        // an empty group left behind holds nothing
      }
      return Optional.empty();
    }
  }

  /**
   * What the VM's command line starts with: join this group, then exec the rest (without the {@code
   * PWD} the shell exports; the VM's environment stays the starter's).
   */
  List<String> commandPrefix() {
    return List.of(
        "/bin/sh",
        "-c",
        "unset PWD OLDPWD; echo $$ > \"$0\" && exec \"$@\"",
        dir.resolve("cgroup.procs").toString());
  }

  Path dir() {
    return dir;
  }

  /** How often the quota held the group back so far ({@code nr_throttled} of {@code cpu.stat}). */
  long throttledPeriods() {
    try (Stream<String> lines = Files.lines(dir.resolve("cpu.stat"))) {
      return lines
          .filter(l -> l.startsWith("nr_throttled "))
          .mapToLong(l -> Long.parseLong(l.substring("nr_throttled ".length()).strip()))
          .findFirst()
          .orElse(0);
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /** Kills every process in the group: the VM and whatever a snippet started. */
  void killAll() {
    Path kill = dir.resolve("cgroup.kill");
    if (v2 && Files.exists(kill)) {
      try {
        Files.writeString(kill, "1");
        return;
      } catch (IOException ignored) {
        // fall back to one signal per process
      }
    }
    for (long pid : pids()) {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  private List<Long> pids() {
    try (Stream<String> lines = Files.lines(dir.resolve("cgroup.procs"))) {
      return lines.filter(l -> !l.isBlank()).map(l -> Long.parseLong(l.strip())).toList();
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
  }

  /** Kills what is left and removes the group (the kernel refuses while processes remain). */
  @Override
  public void close() {
    killAll();
    for (int attempt = 0; attempt < 50; attempt++) {
      try {
        Files.deleteIfExists(dir);
        return;
      } catch (IOException busy) {
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** The group new groups go under: ours, or its parent, whichever can have a cpu controller. */
  private static Optional<SnippetCgroup> parent() {
    Optional<SnippetCgroup> v2 = v2Parent();
    return v2.isPresent() ? v2 : v1Parent();
  }

  private static Optional<SnippetCgroup> v2Parent() {
    List<String[]> mounts = mounts();
    Optional<String[]> mount = mounts.stream().filter(f -> fsType(f).equals("cgroup2")).findFirst();
    Optional<String> own = ownPath(line -> line.startsWith("0::"));
    if (mount.isEmpty() || own.isEmpty()) {
      return Optional.empty();
    }
    Path self = under(mount.get(), own.get());
    for (Path candidate : new Path[] {self, self.getParent()}) {
      if (candidate == null || !candidate.startsWith(Path.of(mount.get()[4]))) {
        continue;
      }
      try {
        if (!Files.readString(candidate.resolve("cgroup.controllers")).contains("cpu")) {
          continue;
        }
        // Only a controller already handed down: enabling one changes every group below.
        Path subtree = candidate.resolve("cgroup.subtree_control");
        if (List.of(Files.readString(subtree).strip().split(" ")).contains("cpu")
            && Files.isWritable(candidate)) {
          return Optional.of(new SnippetCgroup(candidate, true));
        }
      } catch (IOException | RuntimeException e) {
        // not this one
      }
    }
    return Optional.empty();
  }

  private static Optional<SnippetCgroup> v1Parent() {
    Optional<String[]> mount =
        mounts().stream()
            .filter(f -> fsType(f).equals("cgroup") && List.of(superOptions(f)).contains("cpu"))
            .findFirst();
    Optional<String> own =
        ownPath(
            line -> {
              String[] parts = line.split(":", 3);
              return parts.length == 3 && List.of(parts[1].split(",")).contains("cpu");
            });
    if (mount.isEmpty() || own.isEmpty()) {
      return Optional.empty();
    }
    Path self = under(mount.get(), own.get());
    if (Files.isWritable(self) && Files.exists(self.resolve("cpu.cfs_quota_us"))) {
      return Optional.of(new SnippetCgroup(self, false));
    }
    return Optional.empty();
  }

  /** A cgroup path of /proc/self/cgroup as a folder under the mount (whose root may be a group). */
  private static Path under(String[] mount, String cgroupPath) {
    String root = mount[3];
    String relative = cgroupPath;
    if (!root.equals("/") && relative.startsWith(root)) {
      relative = relative.substring(root.length());
    }
    Path dir = Path.of(mount[4]);
    for (String part : relative.split("/")) {
      if (!part.isEmpty()) {
        dir = dir.resolve(part);
      }
    }
    return dir;
  }

  private static Optional<String> ownPath(java.util.function.Predicate<String> line) {
    try (Stream<String> lines = Files.lines(Path.of("/proc/self/cgroup"))) {
      return lines.filter(line).map(l -> l.split(":", 3)[2]).findFirst();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static List<String[]> mounts() {
    try (Stream<String> lines = Files.lines(Path.of("/proc/self/mountinfo"))) {
      return lines.map(l -> l.split(" ")).filter(f -> f.length > 8).toList();
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
  }

  /** mountinfo: optional fields end at "-", then the file system type, source, super options. */
  private static String fsType(String[] fields) {
    for (int i = 6; i < fields.length - 1; i++) {
      if (fields[i].equals("-")) {
        return fields[i + 1];
      }
    }
    return "";
  }

  private static String[] superOptions(String[] fields) {
    for (int i = 6; i < fields.length - 3; i++) {
      if (fields[i].equals("-")) {
        return fields[i + 3].split(",");
      }
    }
    return new String[0];
  }
}
