package dev.tracefix.capture.proc;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Resolves and caches process metadata per (pid, start time, exec generation), so a reused pid is a
 * new process and each program a process executes after it was announced is described anew.
 * Short-lived processes are often gone before their first event is decoded: their exec record (path
 * as executed, cgroup id) still describes them; without one, only the kernel's comm is left.
 */
public final class ProcessTable {
  /**
   * What tgid 0 stands for: no process. A capture without a pid or cgroup filter records TCP events
   * of sockets whose owner it never saw (open and idle since before the capture, a reset sent for a
   * closed port) under it, rather than under whichever task the kernel interrupted.
   */
  public static final String UNATTRIBUTED_COMM = "[unattributed]";

  /**
   * The comm of a process known only from in-kernel aggregates that exited before /proc was read
   * and left no exec record (e.g. a forked child that never executed anything).
   */
  public static final String GONE_COMM = "[exited]";

  private static final ProcessInfo UNATTRIBUTED =
      new ProcessInfo(
          0, 0, UNATTRIBUTED_COMM, Optional.empty(), Optional.empty(), Optional.empty());

  private record Key(int pid, long startTicks, int generation) {}

  private final ProcFs proc;
  private final CgroupPaths cgroups;
  private final Map<Key, ProcessInfo> cache = new HashMap<>();
  private final Set<Key> announced = new HashSet<>();

  public ProcessTable(ProcFs proc, CgroupPaths cgroups) {
    this.proc = proc;
    this.cgroups = cgroups;
  }

  /** True exactly once per process: the moment its metadata must be announced. */
  public boolean firstSighting(int pid, long startTicks) {
    return firstSighting(pid, startTicks, 0);
  }

  /** True exactly once per program a process runs ({@code generation}, counted from 0). */
  public boolean firstSighting(int pid, long startTicks, int generation) {
    return announced.add(new Key(pid, startTicks, generation));
  }

  public ProcessInfo lookup(int pid, long startTicks, String kernelComm) {
    return lookup(pid, startTicks, 0, kernelComm);
  }

  /** The description of the {@code generation}-th program of a process. */
  public ProcessInfo lookup(int pid, long startTicks, int generation, String kernelComm) {
    if (pid == 0) {
      return UNATTRIBUTED;
    }
    return cache.computeIfAbsent(
        new Key(pid, startTicks, generation),
        k ->
            fromProc(pid, startTicks)
                .orElseGet(
                    () ->
                        new ProcessInfo(
                            pid,
                            startTicks,
                            kernelComm,
                            Optional.empty(),
                            Optional.empty(),
                            Optional.empty())));
  }

  /**
   * A process executed {@code filename}: describe it now, from /proc while it lives, else from the
   * exec record. Metadata already announced for this process is left as announced.
   */
  public void onExec(int pid, long startTicks, String comm, String filename, long cgroupId) {
    onExec(pid, startTicks, 0, comm, filename, cgroupId);
  }

  /**
   * The {@code generation}-th program of a process is {@code filename}. /proc is read only while it
   * still shows that program: a process that executed yet another one since is described from the
   * exec record (its comm is the new program's, set by the exec itself).
   */
  public void onExec(
      int pid, long startTicks, int generation, String comm, String filename, long cgroupId) {
    Key key = new Key(pid, startTicks, generation);
    if (announced.contains(key)) {
      return;
    }
    ProcessInfo info =
        fromProc(pid, startTicks)
            .filter(live -> sameProgram(live.comm(), comm))
            .orElseGet(
                () -> {
                  Optional<String> exe =
                      filename.startsWith("/") ? Optional.of(filename) : Optional.empty();
                  return new ProcessInfo(
                      pid,
                      startTicks,
                      untruncated(comm, exe),
                      exe,
                      exe.flatMap(ProcessTable::buildIdOf),
                      cgroups.pathOf(cgroupId));
                });
    cache.put(key, info);
  }

  /** Whether the process {@code pid} that started at {@code startTicks} still runs. */
  public boolean isRunning(int pid, long startTicks) {
    return pid > 0 && proc.startTimeTicks(pid).orElse(-1) == startTicks;
  }

  /**
   * Forgets an exited process: every program it ran, described and announced. A long capture on a
   * host that starts processes all day would otherwise keep every one it ever saw.
   */
  public void forget(int pid, long startTicks) {
    cache.keySet().removeIf(k -> k.pid() == pid && k.startTicks() == startTicks);
    announced.removeIf(k -> k.pid() == pid && k.startTicks() == startTicks);
  }

  /** Processes described or announced so far and not forgotten. */
  public int size() {
    Set<Key> all = new HashSet<>(cache.keySet());
    all.addAll(announced);
    return all.size();
  }

  /** The kernel comm as the exec set it, against a (possibly untruncated) comm from /proc. */
  private static boolean sameProgram(String procComm, String execComm) {
    return execComm == null || execComm.isEmpty() || procComm.startsWith(execComm);
  }

  private Optional<ProcessInfo> fromProc(int pid, long startTicks) {
    OptionalLong liveStart = proc.startTimeTicks(pid);
    if (pid <= 0 || liveStart.isEmpty() || liveStart.getAsLong() != startTicks) {
      return Optional.empty();
    }
    Optional<String> buildId;
    try {
      buildId = ElfBuildId.read(proc.exeLink(pid));
    } catch (IOException | RuntimeException e) {
      buildId = Optional.empty();
    }
    Optional<String> exePath = proc.exePath(pid).map(Object::toString);
    Optional<String> comm = proc.comm(pid);
    Optional<String> cgroup = proc.cgroupV2(pid);
    // Re-check: if the process ended while we read, the files may be from a reused pid.
    if (proc.startTimeTicks(pid).orElse(-1) != startTicks || comm.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new ProcessInfo(
            pid, startTicks, untruncated(comm.get(), exePath), exePath, buildId, cgroup));
  }

  /**
   * The whole program name when the kernel cut it short: the executable's file name if it starts
   * with the 15 bytes the kernel kept. Privacy needs the whole name, since the recognizers cannot
   * tell that a cut-off name was an address or a key, and would let its first 15 bytes through.
   */
  static String untruncated(String comm, Optional<String> exePath) {
    if (comm.getBytes(java.nio.charset.StandardCharsets.UTF_8).length
            != ProcessInfo.KERNEL_COMM_BYTES
        || exePath.isEmpty()) {
      return comm;
    }
    Path name = Path.of(exePath.get()).getFileName();
    String full = name == null ? "" : name.toString();
    return full.startsWith(comm) ? full : comm;
  }

  private static Optional<String> buildIdOf(String path) {
    try {
      return ElfBuildId.read(Path.of(path));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
