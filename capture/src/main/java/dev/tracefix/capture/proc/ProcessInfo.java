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
  @Override
  public String toString() {
    return "ProcessInfo[comm=" + comm + ", redacted]";
  }
}
