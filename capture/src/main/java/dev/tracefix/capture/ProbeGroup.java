package dev.tracefix.capture;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The tracepoint programs of a capture, in the groups that can be attached (and measured) on their
 * own. The filter's bookkeeping (following forked children) is in no group and always attached.
 */
public enum ProbeGroup {
  /** sendto, write and writev on sockets (syscalls:sys_enter/sys_exit_*). */
  SOCKET,
  /** raw_syscalls:sys_enter/sys_exit for the configured syscall set. */
  SYSCALLS,
  /**
   * TCP state changes, resets sent and received, retransmits; and the socket ownership they are
   * attributed by (accept exits, receives).
   */
  TCP,
  /** exec, exit and fork events of traced processes. */
  PROCESS;

  /**
   * Programs of the tcp group outside tcp:* and sock:*: BTF tracepoints (socket storage needs
   * them) and the accept exits that make a traced process owner of the sockets it accepts.
   */
  static final Set<String> TCP_OWNERSHIP =
      Set.of(
          "tp_btf/inet_sock_set_state",
          "tp_btf/sock_recv_length",
          "tracepoint/syscalls/sys_exit_accept",
          "tracepoint/syscalls/sys_exit_accept4");

  /** Every group: the default. */
  public static final Set<ProbeGroup> ALL = Set.copyOf(EnumSet.allOf(ProbeGroup.class));

  /** The name used on the command line, e.g. {@code syscalls}. */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The group named {@code name} on the command line; a user error naming the valid ones. */
  public static ProbeGroup parse(String name) {
    for (ProbeGroup g : values()) {
      if (g.cliName().equals(name.strip().toLowerCase(Locale.ROOT))) {
        return g;
      }
    }
    throw new CaptureException(
        CaptureException.Kind.USER,
        "unknown probe group '" + name + "'; use one of socket, syscalls, tcp, process");
  }

  /**
   * The group of a program's section, e.g. tcp for tracepoint/tcp/tcp_send_reset; empty if none.
   */
  public static Optional<ProbeGroup> ofSection(String section) {
    if (TCP_OWNERSHIP.contains(section)) {
      return Optional.of(TCP);
    }
    if (section.startsWith("tracepoint/raw_syscalls/")) {
      return Optional.of(SYSCALLS);
    }
    if (section.startsWith("tracepoint/syscalls/")) {
      return Optional.of(SOCKET);
    }
    if (section.startsWith("tracepoint/tcp/") || section.startsWith("tracepoint/sock/")) {
      return Optional.of(TCP);
    }
    if (section.equals("tracepoint/sched/sched_process_exec")
        || section.equals("tracepoint/sched/sched_process_exit")
        || section.equals("raw_tracepoint/sched_process_fork")) {
      return Optional.of(PROCESS);
    }
    return Optional.empty();
  }

  /**
   * Whether a program of {@code section} is attached when {@code groups} are selected: programs of
   * a group when it is selected; the fork tracepoint always (the filter follows children through
   * it), and the off-CPU probe (asked for on its own, with --off-cpu); any other program only when
   * every group is selected.
   */
  public static boolean attaches(String section, Set<ProbeGroup> groups) {
    if (section.equals("tracepoint/sched/sched_process_fork")
        || section.equals("tracepoint/sched/sched_switch")) {
      return true;
    }
    return ofSection(section).map(groups::contains).orElse(groups.containsAll(ALL));
  }
}
