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
 * @param syscalls names of the syscalls (x86_64) recorded as {@link EventType#SYSCALL} events, with
 *     latency, result and fd; empty for none (the raw_syscalls probes are then not attached)
 * @param uprobes functions whose every call by a traced process becomes an {@link EventType#UPROBE}
 *     event (duration, return value); empty for none
 * @param stackTypes event types whose events carry a call stack (kernel and user, symbolized on the
 *     box): {@link EventType#SYSCALL}, {@link EventType#UPROBE}, {@link EventType#OFF_CPU}; empty
 *     for none
 * @param offCpuMin report off-CPU spans of traced threads at least this long ({@code
 *     sched:sched_switch}); null for no off-CPU events (the probe is then not attached)
 * @param triggers rules that turn richer probes (stacks, uprobes) on while errors burst; empty for
 *     none
 * @param cgroups cgroup v2 directories whose tasks alone are traced, as {@code /proc/PID/cgroup}
 *     shows them (relative to the cgroup2 mount, e.g. {@code /system.slice/x.service}) or as full
 *     paths under the mount; a directory includes the cgroups below it that exist at the start.
 *     Empty for no cgroup filter. With a pid or command as well, a task is traced only when it
 *     passes both (in one of the cgroups AND in the traced process set)
 * @param sampling per record type name ({@code syscall}, {@code socket_write}, {@code sendto},
 *     {@code tcp_state}, ...): keep 1 in N records of the type, decided in the kernel before ring
 *     space is reserved; skipped ones are counted as sampled out. Empty (or N = 1) keeps all
 * @param probeGroups the probe groups to attach; {@link ProbeGroup#ALL} by default
 * @param policyFile the privacy policy to apply, read when the capture starts (its tests beside it
 *     run first); null for the policy built into the jar
 * @param stats default mode's aggregation ({@link ProbeGroup#STATS}): drain interval, slow-call
 *     thresholds
 * @param fullOnTrigger trigger rules may switch to full streaming ({@code -> full}): the
 *     raw_syscalls programs are configured for it before load; set by {@link #withTriggers}
 */
public record CaptureConfig(
    Duration duration,
    OptionalInt pid,
    List<String> command,
    Path keyDir,
    int ringBufferBytes,
    Set<String> syscalls,
    List<UprobeTarget> uprobes,
    Set<EventType> stackTypes,
    Duration offCpuMin,
    List<TriggerRule> triggers,
    List<String> cgroups,
    Map<String, Integer> sampling,
    Set<ProbeGroup> probeGroups,
    Path policyFile,
    StatsConfig stats) {
  /** Event types that can carry stacks. */
  public static final Set<EventType> STACK_TYPES =
      Set.of(EventType.SYSCALL, EventType.UPROBE, EventType.OFF_CPU);

  /** The off-CPU minimum when off-CPU time is asked for without one. */
  public static final Duration DEFAULT_OFF_CPU_MIN = Duration.ofMillis(1);

  public static final int DEFAULT_RING_BUFFER_BYTES = 16 * 1024 * 1024;

  /** Network, file I/O and futex. */
  public static final Set<String> DEFAULT_SYSCALLS =
      Set.of(
          "socket",
          "connect",
          "accept",
          "accept4",
          "bind",
          "listen",
          "shutdown",
          "sendto",
          "recvfrom",
          "sendmsg",
          "recvmsg",
          "sendmmsg",
          "recvmmsg",
          "read",
          "write",
          "pread64",
          "pwrite64",
          "readv",
          "writev",
          "preadv",
          "pwritev",
          "open",
          "openat",
          "close",
          "fsync",
          "fdatasync",
          "sendfile",
          "futex");

  public CaptureConfig {
    command = List.copyOf(command);
    syscalls = Set.copyOf(syscalls);
    uprobes = List.copyOf(uprobes);
    stackTypes = Set.copyOf(stackTypes);
    triggers = List.copyOf(triggers);
    cgroups = List.copyOf(cgroups);
    sampling = Map.copyOf(sampling);
    probeGroups = Set.copyOf(probeGroups);
    stats = stats == null ? StatsConfig.DEFAULT : stats;
  }

  /** Whether a trigger rule may switch to full streaming, so raw_syscalls are prepared for it. */
  public boolean fullOnTrigger() {
    return triggers.stream().anyMatch(TriggerRule::full);
  }

  /** This capture, aggregating with {@code settings}. */
  public CaptureConfig withStats(StatsConfig settings) {
    return new CaptureConfig(
        duration,
        pid,
        command,
        keyDir,
        ringBufferBytes,
        syscalls,
        uprobes,
        stackTypes,
        offCpuMin,
        triggers,
        cgroups,
        sampling,
        probeGroups,
        policyFile,
        settings);
  }

  /**
   * A capture of every probe group without stacks, off-CPU time, triggers, cgroup filter or
   * sampling; the {@code with...} methods add those.
   */
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
        Set.of(),
        null,
        List.of(),
        List.of(),
        Map.of(),
        ProbeGroup.ALL,
        null,
        StatsConfig.DEFAULT);
  }

  /** This capture, taking stacks for {@code types}. */
  public CaptureConfig withStacks(Set<EventType> types) {
    return new CaptureConfig(
        duration,
        pid,
        command,
        keyDir,
        ringBufferBytes,
        syscalls,
        uprobes,
        types,
        offCpuMin,
        triggers,
        cgroups,
        sampling,
        probeGroups,
        policyFile,
        stats);
  }

  /** This capture, reporting off-CPU spans of at least {@code min} (null: none). */
  public CaptureConfig withOffCpu(Duration min) {
    return new CaptureConfig(
        duration,
        pid,
        command,
        keyDir,
        ringBufferBytes,
        syscalls,
        uprobes,
        stackTypes,
        min,
        triggers,
        cgroups,
        sampling,
        probeGroups,
        policyFile,
        stats);
  }

  /** This capture, with these trigger rules. */
  public CaptureConfig withTriggers(List<TriggerRule> rules) {
    return new CaptureConfig(
        duration,
        pid,
        command,
        keyDir,
        ringBufferBytes,
        syscalls,
        uprobes,
        stackTypes,
        offCpuMin,
        rules,
        cgroups,
        sampling,
        probeGroups,
        policyFile,
        stats);
  }

  /**
   * This capture, limited to {@code cgroupPaths}, sampled per type, attaching only {@code groups}.
   */
  public CaptureConfig withFilters(
      List<String> cgroupPaths, Map<String, Integer> samplingByType, Set<ProbeGroup> groups) {
    return new CaptureConfig(
        duration,
        pid,
        command,
        keyDir,
        ringBufferBytes,
        syscalls,
        uprobes,
        stackTypes,
        offCpuMin,
        triggers,
        cgroupPaths,
        samplingByType,
        groups,
        policyFile,
        stats);
  }

  /** This capture, applying the policy in {@code file} (null: the built-in one). */
  public CaptureConfig withPolicy(Path file) {
    return new CaptureConfig(
        duration,
        pid,
        command,
        keyDir,
        ringBufferBytes,
        syscalls,
        uprobes,
        stackTypes,
        offCpuMin,
        triggers,
        cgroups,
        sampling,
        probeGroups,
        file,
        stats);
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
