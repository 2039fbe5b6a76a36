package dev.tracefix.capture.ffm;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.nio.charset.StandardCharsets;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * Mirror of {@code struct net_trace_event} in {@code bpf/net_trace.h}, field by field and by name.
 * NetTraceLayoutTest compiles the header with gcc and checks size and every offset.
 */
public final class NetTraceLayout {
  public static final int EVENT_SENDTO = 1;
  public static final int EVENT_TCP_RETRANSMIT = 2;
  public static final int COMM_LEN = 16;
  public static final int ADDR_LEN = 16;

  static final StructLayout LAYOUT =
      MemoryLayout.structLayout(
              JAVA_LONG.withName("ts_ns"),
              JAVA_LONG.withName("duration_ns"),
              JAVA_LONG.withName("start_time_ns"),
              JAVA_LONG.withName("ret"),
              JAVA_INT.withName("type"),
              JAVA_INT.withName("tgid"),
              JAVA_INT.withName("tid"),
              JAVA_INT.withName("fd"),
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

  /** Field names in declaration order, as in the C header. */
  public static final java.util.List<String> FIELDS =
      java.util.List.of(
          "ts_ns", "duration_ns", "start_time_ns", "ret", "type", "tgid", "tid", "fd", "state",
          "family", "sport", "dport", "pad", "saddr", "daddr", "comm");

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

  private NetTraceLayout() {}

  public static long byteSize() {
    return LAYOUT.byteSize();
  }

  public static long offsetOf(String field) {
    return LAYOUT.byteOffset(PathElement.groupElement(field));
  }

  /** Copies one ring-buffer record into Java; {@code record} must span at least byteSize(). */
  static RawNetEvent decode(MemorySegment record) {
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
        Short.toUnsignedInt(record.get(JAVA_SHORT, FAMILY)),
        Short.toUnsignedInt(record.get(JAVA_SHORT, SPORT)),
        Short.toUnsignedInt(record.get(JAVA_SHORT, DPORT)),
        record.asSlice(SADDR, ADDR_LEN).toArray(JAVA_BYTE),
        record.asSlice(DADDR, ADDR_LEN).toArray(JAVA_BYTE),
        cString(record.asSlice(COMM, COMM_LEN).toArray(JAVA_BYTE)));
  }

  private static String cString(byte[] bytes) {
    int end = 0;
    while (end < bytes.length && bytes[end] != 0) {
      end++;
    }
    return new String(bytes, 0, end, StandardCharsets.UTF_8);
  }
}
