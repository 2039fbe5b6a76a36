package dev.tracefix.capture.ffm;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.tracefix.capture.CaptureException;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Mirror of {@code bpf/net_trace.h}: each {@code #define NET_TRACE_X} as the constant {@code X},
 * each struct as a layout of the same name with members of the same names. NetTraceLayoutTest reads
 * the header, compiles it with gcc and checks every constant, struct size, member offset and size
 * against this class, so a field added to the header fails that test until it is mirrored here. A
 * member is named once in its layout and once where its offset is taken for decoding.
 */
public final class NetTraceLayout {
  public static final int EVENT_SENDTO = 1;
  public static final int EVENT_TCP_RETRANSMIT = 2;
  public static final int EVENT_EXEC = 3;
  public static final int EVENT_SOCKET_WRITE = 4;
  public static final int EVENT_SYSCALL = 5;
  public static final int EVENT_TCP_STATE = 6;
  public static final int EVENT_TCP_RESET_SENT = 7;
  public static final int EVENT_TCP_RESET_RECEIVED = 8;
  public static final int EVENT_EXIT = 9;
  public static final int EVENT_UPROBE = 10;
  public static final int EVENT_OFF_CPU = 11;
  public static final int EVENT_FORK = 12;

  /** NET_TRACE_STACK_DEPTH: u64 frames per stack_traces entry. */
  public static final int STACK_DEPTH = 127;

  /** NET_TRACE_SYSCALL_MAX: entries of the syscall_set global. */
  public static final int SYSCALL_MAX = 512;

  public static final byte SYSCALL_TRACED = 1;
  public static final byte SYSCALL_ARG0_FD = 2;

  /** NET_TRACE_SYSCALL_SOCKET_WRITE: raw_syscalls do this write/writev's socket work. */
  public static final byte SYSCALL_SOCKET_WRITE = 4;

  /** NET_TRACE_SYSCALL_SENDTO: raw_syscalls do this sendto's socket work. */
  public static final byte SYSCALL_SENDTO = 8;

  /** NET_TRACE_SYSCALL_ACCEPT: raw_syscalls make this accept's caller owner of its socket. */
  public static final byte SYSCALL_ACCEPT = 16;

  /** NET_TRACE_EVENT_TYPES: size of the per-type accounting arrays (produced, drops). */
  public static final int EVENT_TYPES = 16;

  public static final int COMM_LEN = 16;
  public static final int ADDR_LEN = 16;
  public static final int PATH_LEN = 256;

  static final StructLayout LAYOUT =
      MemoryLayout.structLayout(
              JAVA_INT.withName("type"),
              JAVA_INT.withName("tgid"),
              JAVA_INT.withName("tid"),
              JAVA_INT.withName("fd"),
              JAVA_LONG.withName("ts_ns"),
              JAVA_LONG.withName("duration_ns"),
              JAVA_LONG.withName("start_time_ns"),
              JAVA_LONG.withName("ret"),
              JAVA_INT.withName("state"),
              JAVA_SHORT.withName("family"),
              JAVA_SHORT.withName("sport"),
              JAVA_SHORT.withName("dport"),
              JAVA_SHORT.withName("pad"),
              MemoryLayout.sequenceLayout(ADDR_LEN, JAVA_BYTE).withName("saddr"),
              MemoryLayout.sequenceLayout(ADDR_LEN, JAVA_BYTE).withName("daddr"),
              MemoryLayout.sequenceLayout(COMM_LEN, JAVA_BYTE).withName("comm"),
              MemoryLayout.paddingLayout(4))
          .withName("net_trace_event");

  /** Mirror of {@code struct net_trace_exec_event}. */
  static final StructLayout EXEC_LAYOUT =
      MemoryLayout.structLayout(
              JAVA_INT.withName("type"),
              JAVA_INT.withName("tgid"),
              JAVA_LONG.withName("ts_ns"),
              JAVA_LONG.withName("start_time_ns"),
              JAVA_LONG.withName("cgroup_id"),
              MemoryLayout.sequenceLayout(COMM_LEN, JAVA_BYTE).withName("comm"),
              MemoryLayout.sequenceLayout(PATH_LEN, JAVA_BYTE).withName("filename"))
          .withName("net_trace_exec_event");

  /** Mirror of {@code struct net_trace_syscall_event}. */
  static final StructLayout SYSCALL_LAYOUT =
      MemoryLayout.structLayout(
              JAVA_INT.withName("type"),
              JAVA_INT.withName("tgid"),
              JAVA_INT.withName("tid"),
              JAVA_INT.withName("fd"),
              JAVA_LONG.withName("ts_ns"),
              JAVA_LONG.withName("duration_ns"),
              JAVA_LONG.withName("start_time_ns"),
              JAVA_LONG.withName("ret"),
              JAVA_INT.withName("nr"),
              JAVA_INT.withName("cpu"),
              MemoryLayout.sequenceLayout(COMM_LEN, JAVA_BYTE).withName("comm"),
              JAVA_INT.withName("user_stack_id"),
              JAVA_INT.withName("kernel_stack_id"),
              JAVA_LONG.withName("leaf_return"))
          .withName("net_trace_syscall_event");

  /** Mirror of {@code struct net_trace_tcp_event}. */
  static final StructLayout TCP_LAYOUT =
      MemoryLayout.structLayout(
              JAVA_INT.withName("type"),
              JAVA_INT.withName("tgid"),
              JAVA_INT.withName("tid"),
              JAVA_INT.withName("oldstate"),
              JAVA_INT.withName("newstate"),
              JAVA_SHORT.withName("family"),
              JAVA_SHORT.withName("protocol"),
              JAVA_SHORT.withName("sport"),
              JAVA_SHORT.withName("dport"),
              JAVA_INT.withName("pad"),
              JAVA_LONG.withName("ts_ns"),
              JAVA_LONG.withName("duration_ns"),
              JAVA_LONG.withName("start_time_ns"),
              JAVA_LONG.withName("sock"),
              JAVA_LONG.withName("sock_born_ns"),
              MemoryLayout.sequenceLayout(ADDR_LEN, JAVA_BYTE).withName("saddr"),
              MemoryLayout.sequenceLayout(ADDR_LEN, JAVA_BYTE).withName("daddr"),
              MemoryLayout.sequenceLayout(COMM_LEN, JAVA_BYTE).withName("comm"))
          .withName("net_trace_tcp_event");

  /** Mirror of {@code struct net_trace_exit_event}. */
  static final StructLayout EXIT_LAYOUT =
      MemoryLayout.structLayout(
              JAVA_INT.withName("type"),
              JAVA_INT.withName("tgid"),
              JAVA_LONG.withName("ts_ns"),
              JAVA_LONG.withName("start_time_ns"),
              JAVA_INT.withName("exit_status"),
              JAVA_INT.withName("pad"),
              MemoryLayout.sequenceLayout(COMM_LEN, JAVA_BYTE).withName("comm"))
          .withName("net_trace_exit_event");

  /** Mirror of {@code struct net_trace_uprobe_event}. */
  static final StructLayout UPROBE_LAYOUT =
      MemoryLayout.structLayout(
              JAVA_INT.withName("type"),
              JAVA_INT.withName("tgid"),
              JAVA_INT.withName("tid"),
              JAVA_INT.withName("probe_id"),
              JAVA_LONG.withName("ts_ns"),
              JAVA_LONG.withName("duration_ns"),
              JAVA_LONG.withName("start_time_ns"),
              JAVA_LONG.withName("ret"),
              MemoryLayout.sequenceLayout(COMM_LEN, JAVA_BYTE).withName("comm"),
              JAVA_INT.withName("user_stack_id"),
              JAVA_INT.withName("kernel_stack_id"))
          .withName("net_trace_uprobe_event");

  /** Mirror of {@code struct net_trace_offcpu_event}. */
  static final StructLayout OFFCPU_LAYOUT =
      MemoryLayout.structLayout(
              JAVA_INT.withName("type"),
              JAVA_INT.withName("tgid"),
              JAVA_INT.withName("tid"),
              JAVA_INT.withName("prev_state"),
              JAVA_LONG.withName("ts_ns"),
              JAVA_LONG.withName("duration_ns"),
              JAVA_LONG.withName("start_time_ns"),
              MemoryLayout.sequenceLayout(COMM_LEN, JAVA_BYTE).withName("comm"),
              JAVA_INT.withName("user_stack_id"),
              JAVA_INT.withName("kernel_stack_id"),
              JAVA_LONG.withName("leaf_return"))
          .withName("net_trace_offcpu_event");

  /** Mirror of {@code struct net_trace_fork_event}. */
  static final StructLayout FORK_LAYOUT =
      MemoryLayout.structLayout(
              JAVA_INT.withName("type"),
              JAVA_INT.withName("tgid"),
              JAVA_INT.withName("child_tgid"),
              JAVA_INT.withName("pad"),
              JAVA_LONG.withName("ts_ns"),
              JAVA_LONG.withName("start_time_ns"),
              JAVA_LONG.withName("child_start_time_ns"),
              MemoryLayout.sequenceLayout(COMM_LEN, JAVA_BYTE).withName("comm"))
          .withName("net_trace_fork_event");

  /**
   * Members of net_trace_syscall_event stored as they are, in the SafeEvent component of the same
   * name (the policy decides whether they are kept).
   */
  static final CopiedMembers SYSCALL_COPIED = CopiedMembers.of(SYSCALL_LAYOUT, "cpu");

  /** Every struct of the header (NetTraceLayoutTest finds them here by name). */
  static final List<StructLayout> STRUCTS =
      List.of(
          LAYOUT,
          EXEC_LAYOUT,
          SYSCALL_LAYOUT,
          TCP_LAYOUT,
          EXIT_LAYOUT,
          UPROBE_LAYOUT,
          OFFCPU_LAYOUT,
          FORK_LAYOUT);

  private static final long TS = offsetOf("ts_ns");
  private static final long DURATION = offsetOf("duration_ns");
  private static final long START = offsetOf("start_time_ns");
  private static final long RET = offsetOf("ret");
  private static final long TYPE = offsetOf("type");
  private static final long TGID = offsetOf("tgid");
  private static final long TID = offsetOf("tid");
  private static final long FD = offsetOf("fd");
  private static final long STATE = offsetOf("state");
  private static final long FAMILY = offsetOf("family");
  private static final long SPORT = offsetOf("sport");
  private static final long DPORT = offsetOf("dport");
  private static final long SADDR = offsetOf("saddr");
  private static final long DADDR = offsetOf("daddr");
  private static final long COMM = offsetOf("comm");

  private static final long X_TGID = offsetOf(EXEC_LAYOUT, "tgid");
  private static final long X_TS = offsetOf(EXEC_LAYOUT, "ts_ns");
  private static final long X_START = offsetOf(EXEC_LAYOUT, "start_time_ns");
  private static final long X_CGROUP = offsetOf(EXEC_LAYOUT, "cgroup_id");
  private static final long X_COMM = offsetOf(EXEC_LAYOUT, "comm");
  private static final long X_FILENAME = offsetOf(EXEC_LAYOUT, "filename");

  private static final long S_TGID = offsetOf(SYSCALL_LAYOUT, "tgid");
  private static final long S_TID = offsetOf(SYSCALL_LAYOUT, "tid");
  private static final long S_FD = offsetOf(SYSCALL_LAYOUT, "fd");
  private static final long S_TS = offsetOf(SYSCALL_LAYOUT, "ts_ns");
  private static final long S_DURATION = offsetOf(SYSCALL_LAYOUT, "duration_ns");
  private static final long S_START = offsetOf(SYSCALL_LAYOUT, "start_time_ns");
  private static final long S_RET = offsetOf(SYSCALL_LAYOUT, "ret");
  private static final long S_NR = offsetOf(SYSCALL_LAYOUT, "nr");
  private static final long S_COMM = offsetOf(SYSCALL_LAYOUT, "comm");
  private static final long E_COMM = offsetOf(EXIT_LAYOUT, "comm");
  private static final long E_EXIT_STATUS = offsetOf(EXIT_LAYOUT, "exit_status");
  private static final long E_START_TIME_NS = offsetOf(EXIT_LAYOUT, "start_time_ns");
  private static final long E_TGID = offsetOf(EXIT_LAYOUT, "tgid");
  private static final long E_TS_NS = offsetOf(EXIT_LAYOUT, "ts_ns");
  private static final long F_CHILD_START_TIME_NS = offsetOf(FORK_LAYOUT, "child_start_time_ns");
  private static final long F_CHILD_TGID = offsetOf(FORK_LAYOUT, "child_tgid");
  private static final long F_COMM = offsetOf(FORK_LAYOUT, "comm");
  private static final long F_START_TIME_NS = offsetOf(FORK_LAYOUT, "start_time_ns");
  private static final long F_TGID = offsetOf(FORK_LAYOUT, "tgid");
  private static final long F_TS_NS = offsetOf(FORK_LAYOUT, "ts_ns");
  private static final long O_COMM = offsetOf(OFFCPU_LAYOUT, "comm");
  private static final long O_DURATION_NS = offsetOf(OFFCPU_LAYOUT, "duration_ns");
  private static final long O_KERNEL_STACK_ID = offsetOf(OFFCPU_LAYOUT, "kernel_stack_id");
  private static final long O_LEAF_RETURN = offsetOf(OFFCPU_LAYOUT, "leaf_return");
  private static final long O_PREV_STATE = offsetOf(OFFCPU_LAYOUT, "prev_state");
  private static final long O_START_TIME_NS = offsetOf(OFFCPU_LAYOUT, "start_time_ns");
  private static final long O_TGID = offsetOf(OFFCPU_LAYOUT, "tgid");
  private static final long O_TID = offsetOf(OFFCPU_LAYOUT, "tid");
  private static final long O_TS_NS = offsetOf(OFFCPU_LAYOUT, "ts_ns");
  private static final long O_USER_STACK_ID = offsetOf(OFFCPU_LAYOUT, "user_stack_id");
  private static final long S_KERNEL_STACK_ID = offsetOf(SYSCALL_LAYOUT, "kernel_stack_id");
  private static final long S_LEAF_RETURN = offsetOf(SYSCALL_LAYOUT, "leaf_return");
  private static final long S_USER_STACK_ID = offsetOf(SYSCALL_LAYOUT, "user_stack_id");
  private static final long T_COMM = offsetOf(TCP_LAYOUT, "comm");
  private static final long T_DADDR = offsetOf(TCP_LAYOUT, "daddr");
  private static final long T_DPORT = offsetOf(TCP_LAYOUT, "dport");
  private static final long T_DURATION_NS = offsetOf(TCP_LAYOUT, "duration_ns");
  private static final long T_FAMILY = offsetOf(TCP_LAYOUT, "family");
  private static final long T_NEWSTATE = offsetOf(TCP_LAYOUT, "newstate");
  private static final long T_OLDSTATE = offsetOf(TCP_LAYOUT, "oldstate");
  private static final long T_PROTOCOL = offsetOf(TCP_LAYOUT, "protocol");
  private static final long T_SADDR = offsetOf(TCP_LAYOUT, "saddr");
  private static final long T_SOCK = offsetOf(TCP_LAYOUT, "sock");
  private static final long T_SOCK_BORN_NS = offsetOf(TCP_LAYOUT, "sock_born_ns");
  private static final long T_SPORT = offsetOf(TCP_LAYOUT, "sport");
  private static final long T_START_TIME_NS = offsetOf(TCP_LAYOUT, "start_time_ns");
  private static final long T_TGID = offsetOf(TCP_LAYOUT, "tgid");
  private static final long T_TID = offsetOf(TCP_LAYOUT, "tid");
  private static final long T_TS_NS = offsetOf(TCP_LAYOUT, "ts_ns");
  private static final long T_TYPE = offsetOf(TCP_LAYOUT, "type");
  private static final long U_COMM = offsetOf(UPROBE_LAYOUT, "comm");
  private static final long U_DURATION_NS = offsetOf(UPROBE_LAYOUT, "duration_ns");
  private static final long U_KERNEL_STACK_ID = offsetOf(UPROBE_LAYOUT, "kernel_stack_id");
  private static final long U_PROBE_ID = offsetOf(UPROBE_LAYOUT, "probe_id");
  private static final long U_RET = offsetOf(UPROBE_LAYOUT, "ret");
  private static final long U_START_TIME_NS = offsetOf(UPROBE_LAYOUT, "start_time_ns");
  private static final long U_TGID = offsetOf(UPROBE_LAYOUT, "tgid");
  private static final long U_TID = offsetOf(UPROBE_LAYOUT, "tid");
  private static final long U_TS_NS = offsetOf(UPROBE_LAYOUT, "ts_ns");
  private static final long U_USER_STACK_ID = offsetOf(UPROBE_LAYOUT, "user_stack_id");

  private NetTraceLayout() {}

  private static RawTcpEvent decodeTcp(MemorySegment r, CommCache comms) {
    return new RawTcpEvent(
        r.get(JAVA_LONG, T_TS_NS),
        r.get(JAVA_LONG, T_DURATION_NS),
        r.get(JAVA_LONG, T_START_TIME_NS),
        r.get(JAVA_INT, T_TYPE),
        r.get(JAVA_INT, T_TGID),
        r.get(JAVA_INT, T_TID),
        r.get(JAVA_INT, T_OLDSTATE),
        r.get(JAVA_INT, T_NEWSTATE),
        Short.toUnsignedInt(r.get(JAVA_SHORT, T_FAMILY)),
        Short.toUnsignedInt(r.get(JAVA_SHORT, T_PROTOCOL)),
        Short.toUnsignedInt(r.get(JAVA_SHORT, T_SPORT)),
        Short.toUnsignedInt(r.get(JAVA_SHORT, T_DPORT)),
        r.get(JAVA_LONG, T_SOCK),
        r.get(JAVA_LONG, T_SOCK_BORN_NS),
        r.asSlice(T_SADDR, ADDR_LEN).toArray(JAVA_BYTE),
        r.asSlice(T_DADDR, ADDR_LEN).toArray(JAVA_BYTE),
        comms.of(r, T_COMM));
  }

  /**
   * The kernel type id of a per-type accounting name ({@link #typeName}); a user error naming the
   * valid names for any other.
   */
  public static int typeId(String name) {
    List<String> known = new ArrayList<>();
    for (int type = 1; type < EVENT_TYPES; type++) {
      if (typeName(type).equals(name)) {
        return type;
      }
      if (!typeName(type).startsWith("unknown_")) {
        known.add(typeName(type));
      }
    }
    throw new CaptureException(
        CaptureException.Kind.USER,
        "unknown event type '" + name + "' to sample; use one of " + String.join(", ", known));
  }

  /** The name a kernel type id is reported under in per-type accounting. */
  public static String typeName(int type) {
    return switch (type) {
      case EVENT_SENDTO -> "sendto";
      case EVENT_TCP_RETRANSMIT -> "tcp_retransmit";
      case EVENT_EXEC -> "exec";
      case EVENT_SOCKET_WRITE -> "socket_write";
      case EVENT_SYSCALL -> "syscall";
      case EVENT_TCP_STATE -> "tcp_state";
      case EVENT_TCP_RESET_SENT -> "tcp_reset_sent";
      case EVENT_TCP_RESET_RECEIVED -> "tcp_reset_received";
      case EVENT_EXIT -> "exit";
      case EVENT_UPROBE -> "uprobe";
      case EVENT_OFF_CPU -> "off_cpu";
      case EVENT_FORK -> "fork";
      case 0 -> "undecodable"; // ring records that did not decode (see RingRecords)
      default -> "unknown_" + type;
    };
  }

  private static long byteSize() {
    return LAYOUT.byteSize();
  }

  private static long offsetOf(String field) {
    return offsetOf(LAYOUT, field);
  }

  /** The byte offset of {@code field} in a record layout; computed once per field, at load. */
  static long offsetOf(StructLayout layout, String field) {
    return layout.byteOffset(PathElement.groupElement(field));
  }

  /**
   * Copies one ring-buffer record into Java, by its leading type id; null for a record that is too
   * short or of an unknown type (a newer BPF object than this decoder). Called once per record on
   * the hot path, hence no Optional.
   */
  static RawRecord decodeRecord(MemorySegment record, CommCache comms) {
    if (record.byteSize() < 4) {
      return null;
    }
    int type = record.get(JAVA_INT, 0);
    if ((type == EVENT_SENDTO || type == EVENT_TCP_RETRANSMIT || type == EVENT_SOCKET_WRITE)
        && record.byteSize() >= byteSize()) {
      return decode(record, comms);
    }
    if ((type == EVENT_TCP_STATE
            || type == EVENT_TCP_RESET_SENT
            || type == EVENT_TCP_RESET_RECEIVED)
        && record.byteSize() >= TCP_LAYOUT.byteSize()) {
      return decodeTcp(record, comms);
    }
    if (type == EVENT_EXIT && record.byteSize() >= EXIT_LAYOUT.byteSize()) {
      return new RawExitEvent(
          record.get(JAVA_LONG, E_TS_NS),
          record.get(JAVA_INT, E_TGID),
          record.get(JAVA_LONG, E_START_TIME_NS),
          record.get(JAVA_INT, E_EXIT_STATUS),
          comms.of(record, E_COMM));
    }
    if (type == EVENT_SYSCALL && record.byteSize() >= SYSCALL_LAYOUT.byteSize()) {
      return new RawSyscallEvent(
          record.get(JAVA_LONG, S_TS),
          record.get(JAVA_LONG, S_DURATION),
          record.get(JAVA_LONG, S_START),
          record.get(JAVA_LONG, S_RET),
          record.get(JAVA_INT, S_TGID),
          record.get(JAVA_INT, S_TID),
          record.get(JAVA_INT, S_FD),
          record.get(JAVA_INT, S_NR),
          comms.of(record, S_COMM),
          record.get(JAVA_INT, S_USER_STACK_ID),
          record.get(JAVA_INT, S_KERNEL_STACK_ID),
          record.get(JAVA_LONG, S_LEAF_RETURN),
          SYSCALL_COPIED.read(record));
    }
    if (type == EVENT_UPROBE && record.byteSize() >= UPROBE_LAYOUT.byteSize()) {
      return new RawUprobeEvent(
          record.get(JAVA_LONG, U_TS_NS),
          record.get(JAVA_LONG, U_DURATION_NS),
          record.get(JAVA_LONG, U_START_TIME_NS),
          record.get(JAVA_LONG, U_RET),
          record.get(JAVA_INT, U_TGID),
          record.get(JAVA_INT, U_TID),
          record.get(JAVA_INT, U_PROBE_ID),
          comms.of(record, U_COMM),
          record.get(JAVA_INT, U_USER_STACK_ID),
          record.get(JAVA_INT, U_KERNEL_STACK_ID));
    }
    if (type == EVENT_OFF_CPU && record.byteSize() >= OFFCPU_LAYOUT.byteSize()) {
      return new RawOffCpuEvent(
          record.get(JAVA_LONG, O_TS_NS),
          record.get(JAVA_LONG, O_DURATION_NS),
          record.get(JAVA_LONG, O_START_TIME_NS),
          record.get(JAVA_INT, O_TGID),
          record.get(JAVA_INT, O_TID),
          record.get(JAVA_INT, O_PREV_STATE),
          comms.of(record, O_COMM),
          record.get(JAVA_INT, O_USER_STACK_ID),
          record.get(JAVA_INT, O_KERNEL_STACK_ID),
          record.get(JAVA_LONG, O_LEAF_RETURN));
    }
    if (type == EVENT_FORK && record.byteSize() >= FORK_LAYOUT.byteSize()) {
      return new RawForkEvent(
          record.get(JAVA_LONG, F_TS_NS),
          record.get(JAVA_INT, F_TGID),
          record.get(JAVA_LONG, F_START_TIME_NS),
          record.get(JAVA_INT, F_CHILD_TGID),
          record.get(JAVA_LONG, F_CHILD_START_TIME_NS),
          comms.of(record, F_COMM));
    }
    if (type == EVENT_EXEC && record.byteSize() >= EXEC_LAYOUT.byteSize()) {
      return new RawExecEvent(
          record.get(JAVA_LONG, X_TS),
          record.get(JAVA_INT, X_TGID),
          record.get(JAVA_LONG, X_START),
          record.get(JAVA_LONG, X_CGROUP),
          cString(record.asSlice(X_COMM, COMM_LEN).toArray(JAVA_BYTE)),
          cString(record.asSlice(X_FILENAME, PATH_LEN).toArray(JAVA_BYTE)));
    }
    return null;
  }

  /**
   * The comm of the previous record and its String: consecutive records mostly come from the same
   * thread, and decoding a String per record was most of the consumer's cost.
   */
  static final class CommCache {
    private long low = -1;
    private long high = -1;
    private String comm = "";

    String of(MemorySegment record, long offset) {
      long l = record.get(JAVA_LONG_UNALIGNED, offset);
      long h = record.get(JAVA_LONG_UNALIGNED, offset + 8);
      if (l != low || h != high || comm.isEmpty()) {
        low = l;
        high = h;
        comm = cString(record.asSlice(offset, COMM_LEN).toArray(JAVA_BYTE));
      }
      return comm;
    }
  }

  /** Copies one net_trace_event into Java; {@code record} must span at least byteSize(). */
  static RawNetEvent decode(MemorySegment record, CommCache comms) {
    int family = Short.toUnsignedInt(record.get(JAVA_SHORT, FAMILY));
    boolean hasAddress = family != 0;
    return new RawNetEvent(
        record.get(JAVA_LONG, TS),
        record.get(JAVA_LONG, DURATION),
        record.get(JAVA_LONG, START),
        record.get(JAVA_LONG, RET),
        record.get(JAVA_INT, TYPE),
        record.get(JAVA_INT, TGID),
        record.get(JAVA_INT, TID),
        record.get(JAVA_INT, FD),
        record.get(JAVA_INT, STATE),
        family,
        Short.toUnsignedInt(record.get(JAVA_SHORT, SPORT)),
        Short.toUnsignedInt(record.get(JAVA_SHORT, DPORT)),
        hasAddress ? record.asSlice(SADDR, ADDR_LEN).toArray(JAVA_BYTE) : RawNetEvent.NO_ADDRESS,
        hasAddress ? record.asSlice(DADDR, ADDR_LEN).toArray(JAVA_BYTE) : RawNetEvent.NO_ADDRESS,
        comms.of(record, COMM));
  }

  private static String cString(byte[] bytes) {
    int end = 0;
    while (end < bytes.length && bytes[end] != 0) {
      end++;
    }
    return new String(bytes, 0, end, StandardCharsets.UTF_8);
  }
}
