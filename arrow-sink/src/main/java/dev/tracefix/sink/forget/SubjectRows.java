package dev.tracefix.sink.forget;

import dev.tracefix.sink.Subject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which rows belong to a subject, as SQL predicates over a table's own columns (the table's name
 * qualifies them). {@link #prepare} first resolves the subject into temporary tables on the
 * connection: the (capture, process token) pairs it covers, the stacks only those processes used,
 * the captures it names. Resolving once, before anything is deleted, keeps the predicates stable
 * while tables and files change underneath them.
 */
final class SubjectRows {
  /** Deletion order: rows that point at others first, {@code captures} last. */
  static final List<String> TABLES =
      List.of(
          "stacks",
          "events",
          "jvm_events",
          "syscall_stats",
          "processes",
          "capture_stats",
          "trigger_firings",
          "spool_segments",
          "captures");

  private static final String KEYS = "tracefix_forget_keys";
  private static final String STACKS = "tracefix_forget_stacks";
  private static final String CAPTURES = "tracefix_forget_captures";

  private final boolean wholeCaptures;

  private SubjectRows(boolean wholeCaptures) {
    this.wholeCaptures = wholeCaptures;
  }

  /**
   * Resolves {@code subject} over {@code sources} (table name to a relation: the table itself or a
   * {@code read_parquet(…)}); tables absent from {@code sources} hold nothing.
   */
  static SubjectRows prepare(Connection connection, Subject subject, Map<String, String> sources)
      throws SQLException {
    return switch (subject) {
      case Subject.Capture c ->
          capturesWhere(connection, "SELECT CAST(? AS VARCHAR) AS capture_id", c.captureId());
      case Subject.Token t -> {
        String events = sources.get("events");
        String processes = sources.get("processes");
        String sql = "SELECT NULL::VARCHAR AS capture_id, NULL::VARCHAR AS token WHERE false";
        if (events != null) {
          sql +=
              " UNION SELECT capture_id, process_token FROM "
                  + events
                  + " WHERE process_token = $1";
        }
        if (processes != null) {
          sql += " UNION SELECT capture_id, token FROM " + processes + " WHERE token = $1";
        }
        yield processes(connection, sql, t.token(), events);
      }
      case Subject.Cgroup g -> {
        String processes = sources.get("processes");
        String sql = "SELECT NULL::VARCHAR AS capture_id, NULL::VARCHAR AS token WHERE false";
        if (processes != null) {
          boolean container = columns(connection, processes).contains("container");
          sql +=
              " UNION SELECT capture_id, token FROM "
                  + processes
                  + " WHERE cgroup = $1"
                  + (container ? " OR container = $1" : "");
        }
        yield processes(connection, sql, g.cgroup(), sources.get("events"));
      }
    };
  }

  /** Every capture {@code select} (one VARCHAR column {@code capture_id}, parameter ?) names. */
  static SubjectRows capturesWhere(Connection connection, String select, Object parameter)
      throws SQLException {
    try (PreparedStatement create =
        connection.prepareStatement("CREATE OR REPLACE TEMP TABLE " + CAPTURES + " AS " + select)) {
      if (parameter != null) {
        create.setObject(1, parameter);
      }
      create.execute();
    }
    return new SubjectRows(true);
  }

  private static SubjectRows processes(
      Connection connection, String keysSql, String value, String events) throws SQLException {
    try (PreparedStatement create =
        connection.prepareStatement("CREATE OR REPLACE TEMP TABLE " + KEYS + " AS " + keysSql)) {
      if (keysSql.contains("$1")) {
        create.setString(1, value);
      }
      create.execute();
    }
    // A stack goes only when no other process's event still points at it.
    String stacks = "SELECT NULL::VARCHAR AS capture_id, NULL::BIGINT AS stack_id WHERE false";
    if (events != null && columns(connection, events).contains("stack_id")) {
      String mine =
          " EXISTS (SELECT 1 FROM "
              + KEYS
              + " k WHERE k.capture_id = e.capture_id"
              + " AND k.token = e.process_token)";
      stacks =
          "SELECT capture_id, stack_id FROM "
              + events
              + " e WHERE stack_id IS NOT NULL AND"
              + mine
              + " EXCEPT SELECT capture_id, stack_id FROM "
              + events
              + " e WHERE stack_id IS NOT NULL AND NOT"
              + mine;
    }
    try (Statement statement = connection.createStatement()) {
      statement.execute("CREATE OR REPLACE TEMP TABLE " + STACKS + " AS " + stacks);
    }
    return new SubjectRows(false);
  }

  /** The predicate selecting the subject's rows of {@code table}, if the subject has any there. */
  Optional<String> predicate(String table) {
    if (wholeCaptures) {
      return Optional.of(table + ".capture_id IN (SELECT capture_id FROM " + CAPTURES + ")");
    }
    return switch (table) {
      case "events", "jvm_events", "syscall_stats" ->
          Optional.of(keyMatch(table + ".process_token", table));
      case "processes" -> Optional.of(keyMatch(table + ".token", table));
      case "stacks" ->
          Optional.of(
              "EXISTS (SELECT 1 FROM "
                  + STACKS
                  + " s WHERE s.capture_id = stacks.capture_id"
                  + " AND s.stack_id = stacks.stack_id)");
      default -> Optional.empty();
    };
  }

  /**
   * Whether the subject resolved to anything: a process (token, cgroup) or a capture id present in
   * {@code captureTable}, a relation with a {@code capture_id} column.
   */
  boolean isEmpty(Connection connection, String captureTable) throws SQLException {
    String sql =
        wholeCaptures
            ? "SELECT count(*) FROM "
                + CAPTURES
                + " WHERE capture_id IN (SELECT capture_id FROM "
                + captureTable
                + ")"
            : "SELECT count(*) FROM " + KEYS;
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1) == 0;
    }
  }

  /** Number of captures the subject names (0 for token and cgroup subjects). */
  long captureCount(Connection connection) throws SQLException {
    if (!wholeCaptures) {
      return 0;
    }
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM " + CAPTURES)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static void dropTemporaries(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      for (String t : List.of(KEYS, STACKS, CAPTURES)) {
        statement.execute("DROP TABLE IF EXISTS " + t);
      }
    }
  }

  private static String keyMatch(String tokenColumn, String table) {
    return "EXISTS (SELECT 1 FROM "
        + KEYS
        + " k WHERE k.capture_id = "
        + table
        + ".capture_id"
        + " AND k.token = "
        + tokenColumn
        + ")";
  }

  static Set<String> columns(Connection connection, String relation) throws SQLException {
    Set<String> names = new HashSet<>();
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("DESCRIBE SELECT * FROM " + relation)) {
      while (rs.next()) {
        names.add(rs.getString(1));
      }
    }
    return names;
  }
}
