package dev.tracefix.sink;

import dev.tracefix.capture.EventType;
import dev.tracefix.capture.TypeStats;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code capture_stats} rows of one capture. With the kernel's per-type accounting (from the
 * capture summary) a row says what the probes produced, what the sink committed and what was lost
 * on the way, in the kernel's ring buffer or in the sink; without it (a summary from before that
 * accounting, or none yet) the sink's own counts stand alone.
 */
final class CaptureStats {
  private CaptureStats() {}

  /** One {@code capture_stats} row. */
  record Row(
      String type, long produced, long stored, long dropped, long sampledOut, long stackFailures) {}

  /**
   * Merges the kernel's stats with the sink's counts, each indexed by {@link EventType#ordinal()}:
   * {@code produced} delivered to the sink, {@code stored} committed, {@code dropped} lost in the
   * sink (full queue, failed spool write).
   *
   * <p>For a kernel type that is an event type: produced = the kernel's, stored = the sink's
   * committed rows, dropped = the kernel's drops plus the sink's. Record types that never become
   * event rows of that name (the {@code exec} and {@code exit} records behind processes and process
   * events) keep the kernel's own figures. Event types the kernel did not report keep the sink's
   * counts. Records sampled out in the kernel are the kernel's figure ({@code sampled_out}, never
   * part of produced); 0 for rows without kernel accounting (only the kernel samples).
   */
  static List<Row> merge(List<TypeStats> kernel, long[] produced, long[] stored, long[] dropped) {
    List<Row> rows = new ArrayList<>();
    Set<String> reported = new LinkedHashSet<>();
    for (TypeStats k : kernel) {
      reported.add(k.type());
      EventType type = eventType(k.type());
      if (type == null) {
        rows.add(
            new Row(
                k.type(),
                k.produced(),
                k.stored(),
                k.dropped(),
                k.sampledOut(),
                k.stackFailures()));
      } else {
        int t = type.ordinal();
        rows.add(
            new Row(
                k.type(),
                k.produced(),
                stored[t],
                k.dropped() + dropped[t],
                k.sampledOut(),
                k.stackFailures()));
      }
    }
    for (EventType type : EventType.values()) {
      int t = type.ordinal();
      if (produced[t] > 0 && !reported.contains(type.columnValue())) {
        rows.add(new Row(type.columnValue(), produced[t], stored[t], dropped[t], 0, 0));
      }
    }
    return rows;
  }

  private static EventType eventType(String columnValue) {
    for (EventType type : EventType.values()) {
      if (type.columnValue().equals(columnValue)) {
        return type;
      }
    }
    return null;
  }
}
