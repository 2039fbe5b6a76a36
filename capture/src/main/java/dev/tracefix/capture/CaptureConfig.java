package dev.tracefix.capture;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * What to capture and for how long.
 *
 * @param duration stop after this long (when {@code command} is given: at the latest)
 * @param pid trace only this process (and, with a command, its children); empty for all
 * @param command run this command and trace it and its children until it exits; empty for none
 * @param keyDir directory of the local HMAC key store (created 0700, key files 0600)
 * @param ringBufferBytes size of the kernel ring buffer: a power of two, at least one page (4096);
 *     0 for the default ({@link #DEFAULT_RING_BUFFER_BYTES}). A smaller ring drops sooner, never
 *     blocks the traced process.
 * @param syscalls names of the syscalls (x86_64) recorded as {@link EventType#SYSCALL} events,
 *     with latency, result and fd; empty for none (the raw_syscalls probes are then not attached)
 * @param uprobes functions whose every call by a traced process becomes an {@link
 *     EventType#UPROBE} event (duration, return value); empty for none
 * @param cgroups cgroup v2 directories whose tasks alone are traced, as {@code /proc/PID/cgroup}
 *     shows them (relative to the cgroup2 mount, e.g. {@code /system.slice/x.service}) or as full
 *     paths under the mount; a directory includes the cgroups below it that exist at the start.
 *     Empty for no cgroup filter. With a pid or command as well, a task is traced only when it
 *     passes both (in one of the cgroups AND in the traced process set)
 * @param sampling per record type name ({@code syscall}, {@code socket_write}, {@code sendto},
 *     {@code tcp_state}, ...): keep 1 in N records of the type, decided in the kernel before ring
 *     space is reserved; skipped ones are counted as sampled out. Empty (or N = 1) keeps all
 * @param probeGroups the probe groups to attach; {@link ProbeGroup#ALL} by default
 */
public record CaptureConfig(
    Duration duration,
    OptionalInt pid,
    List<String> command,
    Path keyDir,
    int ringBufferBytes,
    Set<String> syscalls,
    List<UprobeTarget> uprobes,
    List<String> cgroups,
    Map<String, Integer> sampling,
    Set<ProbeGroup> probeGroups) {
  public static final int DEFAULT_RING_BUFFER_BYTES = 16 * 1024 * 1024;

  /** Network, file I/O and futex. */
  public static final Set<String> DEFAULT_SYSCALLS =
      Set.of(
          "socket", "connect", "accept", "accept4", "bind", "listen", "shutdown", "sendto",
          "recvfrom", "sendmsg", "recvmsg", "sendmmsg", "recvmmsg", "read", "write", "pread64",
          "pwrite64", "readv", "writev", "preadv", "pwritev", "open", "openat", "close", "fsync",
          "fdatasync", "sendfile", "futex");

  public CaptureConfig {
    command = List.copyOf(command);
    syscalls = Set.copyOf(syscalls);
    uprobes = List.copyOf(uprobes);
    cgroups = List.copyOf(cgroups);
    sampling = Map.copyOf(sampling);
    probeGroups = Set.copyOf(probeGroups);
  }

  /** A capture of every probe group, without cgroup filter or sampling. */
  public CaptureConfig(
      Duration duration,
      OptionalInt pid,
      List<String> command,
      Path keyDir,
      int ringBufferBytes,
      Set<String> syscalls,
      List<UprobeTarget> uprobes) {
    this(
        duration,
        pid,
        command,
        keyDir,
        ringBufferBytes,
        syscalls,
        uprobes,
        List.of(),
        Map.of(),
        ProbeGroup.ALL);
  }

  /** A capture without uprobes. */
  public CaptureConfig(
      Duration duration,
      OptionalInt pid,
      List<String> command,
      Path keyDir,
      int ringBufferBytes,
      Set<String> syscalls) {
    this(duration, pid, command, keyDir, ringBufferBytes, syscalls, List.of());
  }

  /** A capture with the default ring buffer size and syscall set. */
  public CaptureConfig(Duration duration, OptionalInt pid, List<String> command, Path keyDir) {
    this(duration, pid, command, keyDir, 0, DEFAULT_SYSCALLS);
  }

  /** A capture with the default syscall set. */
  public CaptureConfig(
      Duration duration, OptionalInt pid, List<String> command, Path keyDir, int ringBufferBytes) {
    this(duration, pid, command, keyDir, ringBufferBytes, DEFAULT_SYSCALLS);
  }

  /** The ring buffer size to load: {@code ringBufferBytes}, or the default for 0. */
  public int effectiveRingBufferBytes() {
    return ringBufferBytes == 0 ? DEFAULT_RING_BUFFER_BYTES : ringBufferBytes;
  }
}
