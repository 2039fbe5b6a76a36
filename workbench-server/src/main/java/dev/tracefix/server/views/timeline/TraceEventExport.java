package dev.tracefix.server.views.timeline;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.tracefix.server.views.Selection;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes a timeline selection as Chrome's Trace Event Format (JSON object form), which Perfetto UI
 * and {@code chrome://tracing} open: {@code {"traceEvents": [...], "displayTimeUnit": "ns"}}.
 *
 * <p>Calls are complete events ({@code "ph":"X"} with {@code ts} and {@code dur}), TCP and process
 * events thread-scoped instants ({@code "ph":"i", "s":"t"}); {@code ts} and {@code dur} are
 * microseconds (the format's unit) from the selection's first moment, which {@code otherData} gives
 * in epoch nanoseconds. The format wants integer {@code pid}/{@code tid}: processes, threads and
 * connections are numbered in order of appearance and named by metadata events ({@code
 * process_name}, {@code thread_name}) with their tokens, which were keyed on capture: the file
 * holds nothing the store does not already hold redacted.
 *
 * <p>The store's JVM flight-recorder rows of the selection's processes within its time range
 * ({@link JvmRows}) are written too, as the timeline draws them: spans as complete events and
 * exceptions as instants (category {@code jvm}, the recorder's type as name) on a thread of their
 * own beside the kernel thread ({@code jvm thread t_…}), GC pauses and safepoints on one per
 * process ({@code jvm process p_…}).
 *
 * <p>Rows are streamed from DuckDB to the output, never held; at most {@link #MAX_EVENTS}.
 */
public final class TraceEventExport {
  public static final long MAX_EVENTS = 2_000_000;
  private static final JsonFactory JSON = new JsonFactory();

  private TraceEventExport() {}

  /**
   * @param store the event store's schema (for its JVM rows), or null
   * @param fromNs window start relative to the selection's first moment, or null
   * @param toNs window end, likewise, or null
   * @return the events written
   */
  public static long write(
      Connection connection,
      Selection selection,
      String store,
      Long fromNs,
      Long toNs,
      OutputStream out)
      throws SQLException {
    selection.requireTimestamp("time", "trace export", "when each event completed");
    String d = "greatest(coalesce(" + selection.column("duration_ns", "BIGINT") + ", 0), 0)";
    String type = "coalesce(" + selection.column("type", "VARCHAR") + ", 'event')";
    String start =
        "epoch_ns(\"time\") - CASE WHEN "
            + d
            + " > 0 AND "
            + type
            + " NOT LIKE 'tcp%' AND "
            + type
            + " NOT LIKE 'process%' THEN "
            + d
            + " ELSE 0 END";
    long origin;
    long last;
    try (Statement s = connection.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT coalesce(min("
                    + start
                    + "), 0), coalesce(max(epoch_ns(\"time\")), 0) FROM "
                    + selection.relation()
                    + " WHERE \"time\" IS NOT NULL")) {
      rs.next();
      origin = rs.getLong(1);
      last = rs.getLong(2);
    }
    String where =
        "\"time\" IS NOT NULL"
            + (fromNs == null ? "" : " AND epoch_ns(\"time\") - " + origin + " >= " + fromNs)
            + (toNs == null ? "" : " AND " + start + " - " + origin + " <= " + toNs);
    String sql =
        "SELECT "
            + start
            + " - "
            + origin
            + " AS s, "
            + d
            + " AS d, "
            + type
            + " AS type,"
            + " coalesce("
            + selection.column("process_token", "VARCHAR")
            + ", '?') AS process,"
            + " "
            + selection.column("thread_token", "VARCHAR")
            + " AS thread,"
            + " "
            + selection.column("connection_hash", "VARCHAR")
            + " AS conn,"
            + " coalesce("
            + selection.column("errno", "INTEGER")
            + ", 0) AS errno,"
            + " "
            + selection.column("errno_name", "VARCHAR")
            + " AS errno_name,"
            + " "
            + selection.column("syscall", "VARCHAR")
            + " AS syscall,"
            + " "
            + selection.column("tcp_old_state", "VARCHAR")
            + " AS old_state,"
            + " "
            + selection.column("tcp_new_state", "VARCHAR")
            + " AS new_state, false AS jvm, NULL::VARCHAR AS detail"
            + " FROM "
            + selection.relation()
            + " WHERE "
            + where;
    if (JvmRows.present(connection, store)) {
      sql +=
          " UNION ALL SELECT start_ns - "
              + origin
              + ", d, type, process, thread, NULL, 0, NULL, NULL, NULL, NULL, true, detail FROM ("
              + JvmRows.select(store, selection, origin, last)
              + ") WHERE true"
              + (fromNs == null ? "" : " AND start_ns + d - " + origin + " >= " + fromNs)
              + (toNs == null ? "" : " AND start_ns - " + origin + " <= " + toNs);
    }
    sql = "SELECT * FROM (" + sql + ") ORDER BY s LIMIT " + MAX_EVENTS;
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery(sql);
        JsonGenerator json = JSON.createGenerator(out, JsonEncoding.UTF8)) {
      json.writeStartObject();
      json.writeArrayFieldStart("traceEvents");
      Map<String, Integer> pids = new LinkedHashMap<>();
      Map<String, Integer> tids = new LinkedHashMap<>();
      long written = 0;
      while (rs.next()) {
        String process = rs.getString("process");
        String thread = rs.getString("thread");
        String conn = rs.getString("conn");
        String eventType = rs.getString("type");
        boolean jvm = rs.getBoolean("jvm");
        String detail = rs.getString("detail");
        boolean tcp = eventType.startsWith("tcp");
        Integer pid = pids.get(process);
        if (pid == null) {
          pid = pids.size() + 1;
          pids.put(process, pid);
          tids.put("p:" + process, pid); // events without a thread go on the process's own row
          metadata(json, "process_name", pid, pid, "process " + process);
          metadata(json, "thread_name", pid, pid, "process " + process);
        }
        String threadKey =
            jvm
                ? (thread != null ? "j:" + thread : "jp:" + process)
                : tcp && conn != null
                    ? "c:" + conn
                    : thread != null ? "t:" + thread : "p:" + process;
        Integer tid = tids.get(threadKey);
        if (tid == null) {
          tid = 100_000 + tids.size();
          tids.put(threadKey, tid);
          String label =
              switch (threadKey.substring(0, threadKey.indexOf(':'))) {
                case "c" -> "connection " + conn;
                case "j" -> "jvm thread " + thread;
                case "jp" -> "jvm process " + process;
                default -> "thread " + thread;
              };
          metadata(json, "thread_name", pid, tid, label);
        }
        long startNs = rs.getLong("s");
        long durationNs = rs.getLong("d");
        boolean slice = durationNs > 0 && !tcp && !eventType.startsWith("process");
        json.writeStartObject();
        String syscall = rs.getString("syscall");
        json.writeStringField(
            "name",
            syscall != null
                ? syscall
                : jvm && slice && detail != null ? eventType + " " + detail : eventType);
        json.writeStringField("cat", jvm ? "jvm" : eventType);
        json.writeStringField("ph", slice ? "X" : "i");
        json.writeNumberField("ts", startNs / 1000.0);
        if (slice) {
          json.writeNumberField("dur", durationNs / 1000.0);
        } else {
          json.writeStringField("s", "t");
        }
        json.writeNumberField("pid", pid);
        json.writeNumberField("tid", tid);
        json.writeObjectFieldStart("args");
        int errno = rs.getInt("errno");
        if (errno != 0) {
          json.writeNumberField("errno", errno);
          json.writeStringField("errno_name", rs.getString("errno_name"));
        }
        if (detail != null) {
          json.writeStringField("detail", detail);
        }
        if (rs.getString("old_state") != null) {
          json.writeStringField(
              "transition", rs.getString("old_state") + " -> " + rs.getString("new_state"));
        }
        json.writeEndObject();
        json.writeEndObject();
        written++;
      }
      json.writeEndArray();
      json.writeStringField("displayTimeUnit", "ns");
      json.writeObjectFieldStart("otherData");
      json.writeStringField("origin_epoch_ns", Long.toString(origin));
      json.writeStringField("source", "tracefix timeline export");
      json.writeNumberField("events", written);
      json.writeBooleanField("truncated", written >= MAX_EVENTS);
      json.writeEndObject();
      json.writeEndObject();
      return written;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void metadata(JsonGenerator json, String name, int pid, int tid, String value)
      throws IOException {
    json.writeStartObject();
    json.writeStringField("name", name);
    json.writeStringField("ph", "M");
    json.writeNumberField("ts", 0);
    json.writeNumberField("pid", pid);
    json.writeNumberField("tid", tid);
    json.writeObjectFieldStart("args");
    json.writeStringField("name", value);
    json.writeEndObject();
    json.writeEndObject();
  }
}
