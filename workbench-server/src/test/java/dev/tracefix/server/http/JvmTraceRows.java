package dev.tracefix.server.http;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;

/**
 * JVM flight-recorder rows beside {@link TraceStore}'s kernel rows, as an import of the checkout
 * JVM's recording leaves them in {@code jvm_events}: the thread {@code t_main} that timed out in
 * {@code connect} also wrote to a socket, threw, and waited for a lock; a thread with no kernel
 * rows parked; the process paused for a GC and a safepoint. Rows the timeline must leave out come
 * too: another process's, one after the capture, and types it does not draw.
 */
final class JvmTraceRows {
  /**
   * One row; {@code startMs} after {@link TraceStore#START_NS} (a JVM row's {@code time} is when
   * the event started).
   *
   * @param drawn whether the timeline of the store's events draws it
   */
  record Row(
      String type,
      String process,
      String thread,
      String threadName,
      double startMs,
      double durationMs,
      String objectClass,
      String gcName,
      boolean drawn) {
    long startNs() {
      return TraceStore.START_NS + (long) (startMs * 1_000_000);
    }

    long durationNs() {
      return (long) (durationMs * 1_000_000);
    }
  }

  static final List<Row> ROWS =
      List.of(
          new Row("jdk.SocketWrite", "p_checkout", "t_main", "main", 1.0, 0.4, null, null, true),
          new Row("jdk.GCPhasePause", "p_checkout", null, null, 20, 8, null, "GC Pause", true),
          new Row("jdk.SafepointBegin", "p_checkout", null, null, 40, 1, null, null, true),
          new Row(
              "jdk.JavaExceptionThrow",
              "p_checkout",
              "t_main",
              "main",
              52.1,
              0,
              "java.net.SocketTimeoutException",
              null,
              true),
          new Row(
              "jdk.JavaMonitorEnter",
              "p_checkout",
              "t_main",
              "main",
              55,
              4,
              "Orders$Lock",
              null,
              true),
          new Row("jdk.ThreadPark", "p_checkout", "t_parker", "parker", 5, 30, null, null, true),
          // left out: a type the timeline does not draw, a process the selection lacks, a row
          // after the selection's last moment (100 ms, or 10.2 s with bulk calls)
          new Row("jdk.CPULoad", "p_checkout", null, null, 10, 0, null, null, false),
          new Row("jdk.ThreadPark", "p_other", "t_other", "other", 10, 5, null, null, false),
          new Row("jdk.ThreadPark", "p_checkout", "t_main", "main", 20_000, 5, null, null, false));

  static final long DRAWN = ROWS.stream().filter(Row::drawn).count();

  private JvmTraceRows() {}

  /** {@link TraceStore}'s capture with {@code bulk} generated calls, and these rows. */
  static WorkbenchFixture.StoreSeed withBulk(int bulk) {
    return store -> {
      TraceStore.withBulk(bulk).seed(store);
      insert(store);
    };
  }

  private static void insert(Connection c) throws SQLException {
    try (PreparedStatement p =
        c.prepareStatement(
            "INSERT INTO jvm_events (capture_id, time, type, process_token, key_id, thread_token,"
                + " java_thread_token, thread_name, duration_ns, object_class, gc_name)"
                + " VALUES ('c1', make_timestamp_ns(?), ?, ?, 'k1', ?, ?, ?, ?, ?, ?)")) {
      for (Row r : ROWS) {
        p.setLong(1, r.startNs());
        p.setString(2, r.type());
        p.setString(3, r.process());
        text(p, 4, r.thread());
        text(p, 5, r.thread() == null ? null : "j_" + r.thread());
        text(p, 6, r.threadName());
        p.setLong(7, r.durationNs());
        text(p, 8, r.objectClass());
        text(p, 9, r.gcName());
        p.executeUpdate();
      }
    }
  }

  private static void text(PreparedStatement p, int i, String value) throws SQLException {
    if (value == null) {
      p.setNull(i, Types.VARCHAR);
    } else {
      p.setString(i, value);
    }
  }
}
