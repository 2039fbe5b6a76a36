package dev.tracefix.capture;

import dev.tracefix.capture.ffm.BpfMaps;
import dev.tracefix.capture.ffm.StatsLayout;
import dev.tracefix.capture.pipeline.SyscallTable;
import java.util.Set;

/**
 * The stats group's {@code .rodata} (bpf/syscall_stats.bpf.h): which calls take a peer from their
 * socket (connect and sendto take it from their sockaddr argument in the program itself), and each
 * syscall's slow-call threshold, from {@link StatsConfig}. Set whatever the groups are (the
 * programs are only attached with {@link ProbeGroup#STATS}).
 */
final class StatsSettings {
  static final int ARG0_FD = 1;
  static final int SOCK_PEER = 2;
  static final int ACCEPTS = 16;
  static final int FAMILY = 32;
  static final int BYTES = 64;
  static final int OWNS = 128;

  /**
   * Calls whose success makes the caller owner of the TCP socket (tcp group): what raw_syscalls or
   * the socket group do in full mode. Receives are left out: tp_btf/sock_recv_length owns those
   * sockets already, and a second owner update per read cost the exit about 20% (bpf_stats).
   */
  private static final Set<String> OWNING_CALLS =
      Set.of("connect", "accept", "accept4", "sendto", "sendmsg", "write", "writev");

  /** Calls whose fd may be a socket: aggregated per peer, and (tcp group) owning the socket. */
  private static final Set<String> SOCKET_CALLS =
      Set.of(
          "sendto",
          "recvfrom",
          "sendmsg",
          "recvmsg",
          "read",
          "write",
          "readv",
          "writev",
          "shutdown");

  private StatsSettings() {}

  static void beforeLoad(BpfMaps maps, CaptureConfig config) {
    maps.setRodataBool("stats_own_sockets", ProbeSettings.acceptInStats(config));
    maps.setRodataBool("stats_attached", config.probeGroups().contains(ProbeGroup.STATS));
    StatsConfig stats = config.stats();
    maps.setMaxEntries(StatsLayout.MAP, stats.mapEntries());
    for (var family : StatsConfig.FAMILIES.entrySet()) {
      long slowNs = stats.slowCallOf(family.getKey()).toNanos();
      for (String name : family.getValue()) {
        SyscallTable.Syscall syscall = SyscallTable.byName(name);
        int bits = FAMILY | (syscall.arg0IsFd() ? ARG0_FD : 0);
        if (SyscallTable.returnsBytes(name)) {
          bits |= BYTES;
        }
        if (OWNING_CALLS.contains(name)) {
          bits |= OWNS;
        }
        if (SOCKET_CALLS.contains(name)) {
          bits |= SOCK_PEER;
        }
        bits |=
            switch (name) {
              case "connect" -> SOCK_PEER;
              case "accept", "accept4" -> ACCEPTS;
              default -> 0;
            };
        maps.setRodataU8("stats_bits", syscall.nr(), (byte) bits);
        if (slowNs > 0) {
          maps.setRodataU64("slow_call_ns", syscall.nr(), slowNs);
        }
      }
    }
  }
}
