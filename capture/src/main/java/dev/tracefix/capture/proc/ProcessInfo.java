package dev.tracefix.capture.proc;

import java.util.Optional;

/**
 * What capture learned about one process, still raw (pid and exe path are redacted before they
 * leave capture).
 *
 * @param startTicks start time in clock ticks since boot, as in /proc/PID/stat
 * @param exePath executable path, empty when the process had already exited
 * @param buildId hex GNU build id of the executable, empty if none or unreadable
 * @param cgroup cgroup v2 path, empty if unknown
 */
public record ProcessInfo(
    int pid,
    long startTicks,
    String comm,
    Optional<String> exePath,
    Optional<String> buildId,
    Optional<String> cgroup) {
  /** The kernel keeps 15 bytes of a program name (TASK_COMM_LEN is 16). */
  static final int KERNEL_COMM_BYTES = 15;

  /**
   * Whether {@code comm} may be a longer name the kernel cut short: exactly 15 bytes, and not the
   * whole file name of the executable (which would show it is complete).
   */
  public boolean commMayBeCut() {
    if (comm.getBytes(java.nio.charset.StandardCharsets.UTF_8).length != KERNEL_COMM_BYTES) {
      return false;
    }
    return exePath
        .map(path -> java.nio.file.Path.of(path).getFileName())
        .map(name -> !name.toString().equals(comm))
        .orElse(true);
  }

  @Override
  public String toString() {
    return "ProcessInfo[comm=" + comm + ", redacted]";
  }
}
