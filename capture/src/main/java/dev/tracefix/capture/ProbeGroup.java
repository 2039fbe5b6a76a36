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
  PROCESS,
  /**
   * Default mode's syscalls: the syscall-specific tracepoints of the families an incident needs
   * (connect/accept, send/recv, read/write, close, openat), counted and timed in kernel maps
   * ({@code syscall_stats}); only failed and slow calls become records. Programs named {@code
   * stats_*}.
   */
  STATS;

  /**
   * Programs of the tcp group outside tcp:* and sock:*: BTF tracepoints (socket storage needs them)
   * and the accept exits that make a traced process owner of the sockets it accepts.
   */
  static final Set<String> TCP_OWNERSHIP =
      Set.of(
          "tp_btf/inet_sock_set_state",
          "tp_btf/sock_recv_length",
          "tracepoint/syscalls/sys_exit_accept",
          "tracepoint/syscalls/sys_exit_accept4");

  /**
   * Every streaming group ({@code --probes full}): every syscall of the set streamed through
   * raw_syscalls, every socket write; cheap enough only for short windows on a busy service.
   */
  public static final Set<ProbeGroup> ALL = Set.copyOf(EnumSet.of(SOCKET, SYSCALLS, TCP, PROCESS));

  /** {@code --probes full}: the same as {@link #ALL}. */
  public static final Set<ProbeGroup> FULL = ALL;

  /**
   * The capture left on ({@code --probes default}, the CLI's default): syscalls aggregated in the
   * kernel (failures and slow calls streamed), TCP and process events; no raw_syscalls.
   */
  public static final Set<ProbeGroup> DEFAULT = Set.copyOf(EnumSet.of(STATS, TCP, PROCESS));

  /** Program names of the stats group start with this. */
  static final String STATS_PROGRAM_PREFIX = "stats_";

  /** The name used on the command line, e.g. {@code syscalls}. */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The groups of a {@code --probes} list: {@code default}, {@code full}, or group names (a mode
   * and groups may be mixed: {@code default,socket}); a user error for an unknown name.
   */
  public static Set<ProbeGroup> parseList(java.util.Collection<String> names) {
    EnumSet<ProbeGroup> groups = EnumSet.noneOf(ProbeGroup.class);
    for (String name : names) {
      switch (name.strip().toLowerCase(Locale.ROOT)) {
        case "default" -> groups.addAll(DEFAULT);
        case "full" -> groups.addAll(FULL);
        default -> groups.add(parse(name));
      }
    }
    return Set.copyOf(groups);
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
        "unknown probe group '"
            + name
            + "'; use default, full, or groups of socket, syscalls, tcp, process, stats");
  }

  /**
   * The group of a program's section, e.g. tcp for tracepoint/tcp/tcp_send_reset; empty if none.
   */
  public static Optional<ProbeGroup> ofSection(String section) {
    return ofProgram(section, "");
  }

  /**
   * The group of a program by its section and name: the stats programs share their sections
   * (syscalls:sys_enter_X) with the socket group's and are told apart by name.
   */
  public static Optional<ProbeGroup> ofProgram(String section, String program) {
    if (program.startsWith(STATS_PROGRAM_PREFIX)) {
      return Optional.of(STATS);
    }
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
    return attaches(section, "", groups);
  }

  /** {@link #attaches(String, Set)} for a program known by section and name. */
  public static boolean attaches(String section, String program, Set<ProbeGroup> groups) {
    if (section.equals("tracepoint/sched/sched_process_fork")
        || section.equals("tracepoint/sched/sched_switch")) {
      return true;
    }
    return ofProgram(section, program).map(groups::contains).orElse(groups.containsAll(ALL));
  }
}
