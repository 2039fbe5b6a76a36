package dev.tracefix.capture.proc;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Resolves and caches process metadata per (pid, start time), so a reused pid is a new process.
 * A process that exited before its first event was decoded keeps the kernel's comm and nothing
 * else: /proc no longer knows it.
 */
public final class ProcessTable {
  private record Key(int pid, long startTicks) {}

  private final ProcFs proc;
  private final Map<Key, ProcessInfo> cache = new HashMap<>();

  public ProcessTable(ProcFs proc) {
    this.proc = proc;
  }

  /** True the first time a process is looked up. */
  public boolean isNew(int pid, long startTicks) {
    return !cache.containsKey(new Key(pid, startTicks));
  }

  public ProcessInfo lookup(int pid, long startTicks, String kernelComm) {
    return cache.computeIfAbsent(new Key(pid, startTicks), k -> resolve(pid, startTicks, kernelComm));
  }

  private ProcessInfo resolve(int pid, long startTicks, String kernelComm) {
    OptionalLong liveStart = proc.startTimeTicks(pid);
    if (pid <= 0 || liveStart.isEmpty() || liveStart.getAsLong() != startTicks) {
      return new ProcessInfo(pid, startTicks, kernelComm, Optional.empty(), Optional.empty(),
          Optional.empty());
    }
    Optional<String> buildId;
    try {
      buildId = ElfBuildId.read(proc.exeLink(pid));
    } catch (IOException | RuntimeException e) {
      buildId = Optional.empty();
    }
    return new ProcessInfo(
        pid,
        startTicks,
        proc.comm(pid).orElse(kernelComm),
        proc.exePath(pid).map(Object::toString),
        buildId,
        proc.cgroupV2(pid));
  }
}
