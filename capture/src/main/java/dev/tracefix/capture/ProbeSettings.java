package dev.tracefix.capture;

import dev.tracefix.capture.CaptureException.Kind;
import dev.tracefix.capture.ffm.BpfMaps;
import dev.tracefix.capture.ffm.NetTraceLayout;
import dev.tracefix.capture.pipeline.SyscallTable;
import java.util.Set;

/**
 * How a {@link CaptureConfig} becomes the BPF object's settings: the {@code .rodata} values fixed
 * before load, the maps filled after it, and which programs attach. Kept apart from {@link
 * Capture}, which runs the capture's lifecycle.
 */
final class ProbeSettings {
  /** Attached only when off-CPU time is asked for. */
  static final String SCHED_SWITCH = "tracepoint/sched/sched_switch";

  /** The consumer reads on this poll timeout anyway; wakeups only shorten the wait. */
  private static final int WAKEUP_RING_FRACTION = 8;

  private ProbeSettings() {}

  /** The settings the verifier sees: filters, sampling, the syscall set, ring size, wakeups. */
  static void beforeLoad(
      BpfMaps maps, CaptureConfig config, boolean filtered, Set<Long> cgroupIds) {
    maps.setRodataBool("filter_enabled", filtered);
    maps.setRodataBool("cgroup_filter_enabled", !cgroupIds.isEmpty());
    for (var sample : config.sampling().entrySet()) {
      maps.setRodataU32("sample_every", NetTraceLayout.typeId(sample.getKey()), sample.getValue());
    }
    byte[] syscallSet = new byte[NetTraceLayout.SYSCALL_MAX];
    for (String name : config.syscalls()) {
      SyscallTable.Syscall syscall = SyscallTable.byName(name);
      syscallSet[syscall.nr()] |=
          (byte)
              (NetTraceLayout.SYSCALL_TRACED
                  | (syscall.arg0IsFd() ? NetTraceLayout.SYSCALL_ARG0_FD : 0));
    }
    boolean socketInRaw = socketInRaw(config);
    maps.setRodataBool("socket_in_raw", socketInRaw);
    if (socketInRaw) {
      syscallSet[SyscallTable.byName("write").nr()] |= NetTraceLayout.SYSCALL_SOCKET_WRITE;
      syscallSet[SyscallTable.byName("writev").nr()] |= NetTraceLayout.SYSCALL_SOCKET_WRITE;
      syscallSet[SyscallTable.byName("sendto").nr()] |= NetTraceLayout.SYSCALL_SENDTO;
    }
    if (acceptInRaw(config)) {
      syscallSet[SyscallTable.byName("accept").nr()] |= NetTraceLayout.SYSCALL_ACCEPT;
      syscallSet[SyscallTable.byName("accept4").nr()] |= NetTraceLayout.SYSCALL_ACCEPT;
    }
    for (int nr = 0; nr < syscallSet.length; nr++) {
      if (syscallSet[nr] != 0) {
        maps.setRodataU8("syscall_set", nr, syscallSet[nr]);
      }
    }
    StatsSettings.beforeLoad(maps, config);
    maps.setMaxEntries("events", config.effectiveRingBufferBytes());
    // Batch wakeups: the consumer is woken early once the CPUs together have submitted an eighth
    // of the ring, instead of (waking the traced thread's CPU) per record. Counted per CPU in the
    // kernel, so each CPU's share.
    maps.setRodataU32(
        "wakeup_bytes",
        Math.max(
            1, config.effectiveRingBufferBytes() / WAKEUP_RING_FRACTION / BpfMaps.possibleCpus()));
    if (config.offCpuMin() != null) {
      maps.setRodataU64("offcpu_min_ns", config.offCpuMin().toNanos());
    }
  }

  /** The filter maps: the pid given (a command's pid is added once it starts) and the cgroups. */
  static void afterLoad(BpfMaps maps, CaptureConfig config, Set<Long> cgroupIds) {
    if (config.pid().isPresent()) {
      maps.putU32("traced_tgids", config.pid().getAsInt());
    }

    for (long cgroup : cgroupIds) {
      maps.putU64("traced_cgroups", cgroup);
    }
  }

  /**
   * Whether the program in {@code section} attaches: its probe group is selected, raw_syscalls only
   * with a syscall set (they fire on every syscall of every task), the socket group's syscalls:*
   * tracepoints only when raw_syscalls do not do their work ({@link #socketInRaw}), nor the tcp
   * group's accept exits ({@link #acceptInRaw}), sched_switch only for off-CPU time.
   */
  static boolean attaches(String section, CaptureConfig config) {
    return attaches(section, "", config);
  }

  /**
   * {@link #attaches(String, CaptureConfig)} for a program known by name as well: the stats group's
   * programs share the syscalls:* sections of the socket group's and attach with their group; the
   * tcp group's accept exits stay detached when the stats exits own accepted sockets.
   */
  static boolean attaches(String section, String program, CaptureConfig config) {
    if (program.startsWith(ProbeGroup.STATS_PROGRAM_PREFIX)) {
      return config.probeGroups().contains(ProbeGroup.STATS);
    }
    boolean syscallTracepoint = section.startsWith("tracepoint/syscalls/");
    boolean ownership = ProbeGroup.TCP_OWNERSHIP.contains(section);
    return ProbeGroup.attaches(section, program, config.probeGroups())
        && (rawSyscalls(config) || !section.startsWith("tracepoint/raw_syscalls/"))
        && (!socketInRaw(config) || !syscallTracepoint || ownership)
        && (!acceptInRaw(config) || !syscallTracepoint || !ownership)
        && (!acceptInStats(config) || !syscallTracepoint || !ownership)
        && (config.offCpuMin() != null || !section.equals(SCHED_SWITCH));
  }

  /** Whether the stats exits of accept/accept4 own the accepted sockets (tcp and stats groups). */
  static boolean acceptInStats(CaptureConfig config) {
    return config.probeGroups().contains(ProbeGroup.STATS)
        && config.probeGroups().contains(ProbeGroup.TCP);
  }

  /**
   * Whether the raw_syscalls programs are configured before load: attached from the start ({@code
   * --probes full}), or attachable by a trigger's {@code full} action.
   */
  static boolean rawPrepared(CaptureConfig config) {
    return rawSyscalls(config)
        || ((config.fullOnTrigger() || config.stats().dutyCycled())
            && !config.syscalls().isEmpty());
  }

  /** Whether the raw_syscalls programs attach: the syscalls group, with a syscall set. */
  static boolean rawSyscalls(CaptureConfig config) {
    return config.probeGroups().contains(ProbeGroup.SYSCALLS) && !config.syscalls().isEmpty();
  }

  /**
   * Whether the raw_syscalls programs also do the socket group's work (write, writev, sendto), so
   * its syscalls:sys_enter/sys_exit tracepoints stay detached: when both groups attach. Two program
   * runs per socket write instead of four.
   */
  static boolean socketInRaw(CaptureConfig config) {
    return (config.probeGroups().contains(ProbeGroup.SOCKET) && rawSyscalls(config))
        || (!rawSyscalls(config) && rawPrepared(config));
  }

  /**
   * Whether the raw_syscalls exit also makes a traced process owner of the sockets it accepts (the
   * tcp group's work), so the syscalls:sys_exit_accept{,4} tracepoints stay detached: when both
   * groups attach. Those tracepoints would add a callback to every syscall of the machine.
   */
  static boolean acceptInRaw(CaptureConfig config) {
    return config.probeGroups().contains(ProbeGroup.TCP) && rawSyscalls(config);
  }

  /** The stack_types bitmask: bit (1 << kernel type id) per event type that takes stacks. */
  static int stackTypeBits(Set<EventType> types) {
    int bits = 0;
    for (EventType t : types) {
      bits |=
          switch (t) {
            case SYSCALL -> 1 << NetTraceLayout.EVENT_SYSCALL;
            case UPROBE -> 1 << NetTraceLayout.EVENT_UPROBE;
            case OFF_CPU -> 1 << NetTraceLayout.EVENT_OFF_CPU;
            default ->
                throw new CaptureException(
                    Kind.USER,
                    "stacks are taken for syscall, uprobe and off_cpu events only, not "
                        + t.columnValue());
          };
    }
    return bits;
  }

  /** A trigger rule's stacks: every stack-taking event type this capture records. */
  static int triggerStackBits(boolean offCpu) {
    return stackTypeBits(
        offCpu
            ? Set.of(EventType.SYSCALL, EventType.UPROBE, EventType.OFF_CPU)
            : Set.of(EventType.SYSCALL, EventType.UPROBE));
  }
}
