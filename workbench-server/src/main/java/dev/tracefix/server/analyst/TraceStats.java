package dev.tracefix.server.analyst;

import dev.tracefix.server.kernel.sql.SqlValues;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

/** Read-only statistics queries over the trace tables of one connection. */
final class TraceStats {
  private final Connection connection;

  TraceStats(Connection connection) {
    this.connection = connection;
  }

  List<Map<String, Object>> rows(String sql) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(sql)) {
      return SqlValues.rowMaps(rs);
    }
  }

  boolean hasTable(String name) throws SQLException {
    return !rows("SELECT 1 FROM information_schema.tables WHERE lower(table_name) = "
            + literal(name.toLowerCase(java.util.Locale.ROOT)))
        .isEmpty();
  }

  /** The name a process token shows under: its comm when the processes table knows it. */
  String processJoin() throws SQLException {
    return hasTable("processes")
        ? "LEFT JOIN (SELECT token, any_value(comm) AS comm FROM processes GROUP BY token) p"
            + " ON p.token = e.process_token"
        : "LEFT JOIN (SELECT NULL::VARCHAR AS token, NULL::VARCHAR AS comm) p"
            + " ON p.token = e.process_token";
  }

  static String literal(Object value) {
    return value == null ? "NULL" : "'" + value.toString().replace("'", "''") + "'";
  }

  static long asLong(Object value) {
    return value == null ? 0 : ((Number) value).longValue();
  }

  static double asDouble(Object value) {
    return value == null ? 0 : ((Number) value).doubleValue();
  }

  /** A short, stable label for a process: comm plus a token prefix (tokens are long HMACs). */
  static String process(Object comm, Object token) {
    String t = token == null ? "?" : token.toString();
    String shortToken = t.length() > 10 ? t.substring(0, 10) : t;
    return (comm == null ? "process" : comm.toString()) + " [" + shortToken + "]";
  }

  static String micros(double nanos) {
    return String.format(java.util.Locale.ROOT, "%.1f µs", nanos / 1000.0);
  }

  static String percent(double share) {
    return String.format(java.util.Locale.ROOT, "%.0f%%", share * 100);
  }

  /** A process's comm where the processes table knows it, else its short token label. */
  String processName(Object token) throws SQLException {
    if (hasTable("processes")) {
      var found =
          rows("SELECT any_value(comm) AS comm FROM processes WHERE token = " + literal(token));
      if (!found.isEmpty() && found.getFirst().get("comm") != null) {
        return found.getFirst().get("comm").toString();
      }
    }
    return process(null, token);
  }

  /**
   * Whether {@code table} has {@code column} (tables made by hand, or before schema v4, lack some).
   */
  boolean hasColumn(String table, String column) throws SQLException {
    return !rows("SELECT 1 FROM information_schema.columns WHERE lower(table_name) = "
            + literal(table)
            + " AND lower(column_name) = "
            + literal(column))
        .isEmpty();
  }

  /** The call an event stands for: its syscall name where the table has one, else its type. */
  String call(String alias) throws SQLException {
    String prefix = alias.isEmpty() ? "" : alias + ".";
    return hasColumn("events", "syscall")
        ? "coalesce(" + prefix + "syscall, " + prefix + "type)"
        : prefix + "type";
  }
}
