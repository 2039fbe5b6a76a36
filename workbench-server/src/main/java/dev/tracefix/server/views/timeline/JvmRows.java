package dev.tracefix.server.views.timeline;

import dev.tracefix.server.views.Selection;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The store's JVM flight-recorder rows ({@code jvm_events}) that the timeline and its export draw
 * beside a selection's kernel rows: those of the selection's processes that overlap its time range.
 * They are context for the kernel rows, not part of the selection, so they never move its origin or
 * extent.
 *
 * <p>A JVM row's {@code time} is when the event started (the flight recorder's start time), a
 * kernel row's when the call completed; {@link #select} gives both ends so callers need not know.
 * Threads join by token: the flight recorder's OS thread id became the same {@code thread_token}
 * the kernel rows of that thread carry. GC pauses and safepoints stop the whole JVM, so they are
 * drawn on a track of the process (thread NULL), as are thread events of virtual threads (no OS
 * thread, no token).
 */
final class JvmRows {
  /** Spans that stop every Java thread of the process. */
  static final List<String> PROCESS_SPANS = List.of("jdk.GCPhasePause", "jdk.SafepointBegin");

  /** Spans of one thread: waiting for a lock or a condition, parked, in socket or file I/O. */
  static final List<String> THREAD_SPANS =
      List.of(
          "jdk.JavaMonitorEnter",
          "jdk.JavaMonitorWait",
          "jdk.ThreadPark",
          "jdk.SocketRead",
          "jdk.SocketWrite",
          "jdk.FileRead",
          "jdk.FileWrite");

  /** Instant marks on the thread that threw. */
  static final List<String> MARKS = List.of("jdk.JavaExceptionThrow", "jdk.JavaErrorThrow");

  private JvmRows() {}

  /**
   * Whether {@code store} (a {@code database.schema} such as {@code store.main}) holds any {@code
   * jvm_events} row: most stores hold none, and then the timeline's queries stay as they were.
   */
  static boolean present(Connection connection, String store) throws SQLException {
    if (store == null) {
      return false;
    }
    String[] parts = store.split("\\.", 2);
    if (parts.length != 2) {
      return false;
    }
    try (PreparedStatement p =
        connection.prepareStatement(
            "SELECT count(*) FROM duckdb_tables() WHERE database_name = ? AND schema_name = ?"
                + " AND table_name = 'jvm_events'")) {
      p.setString(1, parts[0]);
      p.setString(2, parts[1]);
      try (ResultSet rs = p.executeQuery()) {
        if (!rs.next() || rs.getLong(1) == 0) {
          return false;
        }
      }
    }
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("SELECT 1 FROM " + store + ".jvm_events LIMIT 1")) {
      return rs.next();
    }
  }

  /**
   * The drawn JVM rows of the selection's processes that overlap {@code firstNs .. lastNs} (epoch
   * ns), with columns {@code start_ns} (epoch ns), {@code d} (duration, 0 for marks), {@code type}
   * (the flight recorder's name, as stored), {@code process}, {@code thread} (NULL for process-wide
   * rows), {@code rid} ({@code -1 - rowid}: negative, so it never reads as a row of the selection),
   * {@code detail} (the class thrown, waited on or parked on, or the GC phase) and {@code
   * thread_name} (as the privacy policy kept it).
   */
  static String select(String store, Selection selection, long firstNs, long lastNs) {
    String d = "greatest(coalesce(j.duration_ns, 0), 0)";
    return "SELECT epoch_ns(j.\"time\") AS start_ns, "
        + d
        + " AS d, j.type AS type, j.process_token AS process,"
        + " CASE WHEN j.type IN ("
        + list(PROCESS_SPANS)
        + ") THEN NULL ELSE j.thread_token END AS thread,"
        + " -1 - j.rowid AS rid, coalesce(j.object_class, j.gc_name) AS detail, j.thread_name"
        + " FROM "
        + store
        + ".jvm_events j WHERE j.type IN ("
        + list(Stream.of(PROCESS_SPANS, THREAD_SPANS, MARKS).flatMap(List::stream).toList())
        + ") AND j.process_token IN (SELECT DISTINCT "
        + selection.column("process_token", "VARCHAR")
        + " FROM "
        + selection.relation()
        + ") AND epoch_ns(j.\"time\") <= "
        + lastNs
        + " AND epoch_ns(j.\"time\") + "
        + d
        + " >= "
        + firstNs;
  }

  /**
   * A JVM slice's name over {@link #select}'s columns: the recorder's type, and what it waited on
   * or which GC phase it was.
   */
  static final String NAME_SQL =
      "CASE WHEN coalesce(detail, '') = '' THEN type ELSE type || ' ' || detail END";

  private static String list(List<String> values) {
    return values.stream().map(v -> "'" + v + "'").collect(Collectors.joining(", "));
  }
}
