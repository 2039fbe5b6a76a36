package dev.tracefix.sink.parquet;

import dev.tracefix.sink.SinkException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * One table as an export reads it: every {@code VARCHAR} and {@code VARCHAR[]} value through the
 * export's redaction. The work is per distinct value, not per row: {@code SELECT DISTINCT} each
 * text column, redact in Java, and keep only the values that changed in a temp mapping table that
 * the export query joins; a column with no changed value is read as it is. So millions of rows with
 * a few thousand distinct strings cost a few thousand redactions and no copy of the table.
 *
 * <p>A column of any other type that can hold text (a struct, a map, a nested list) is refused
 * rather than exported unredacted; no table of the store has one today.
 */
final class RedactedTable {
  static final String MAPPINGS = "tracefix_export_redactions";

  private final String table;
  private final String alias;
  private final List<String> columns = new ArrayList<>();
  private final Map<String, String> expressions = new LinkedHashMap<>();
  private final List<String> ctes = new ArrayList<>();
  private final List<String> joins = new ArrayList<>();
  private int changed;

  private RedactedTable(String table, String alias) {
    this.table = table;
    this.alias = alias;
  }

  /** Creates the (per connection, temporary) mapping table the export queries join. */
  static void createMappings(Statement statement) throws SQLException {
    statement.execute(
        "CREATE OR REPLACE TEMP TABLE "
            + MAPPINGS
            + " (col VARCHAR, original VARCHAR, redacted VARCHAR)");
  }

  /**
   * Reads {@code table}'s text columns, redacts their distinct values and records the changed ones.
   *
   * @param alias the table's alias in the export query
   * @param roles how a column's values are redacted; columns not named use {@code text}
   */
  static RedactedTable of(
      Connection connection,
      String table,
      String alias,
      Map<String, UnaryOperator<String>> roles,
      UnaryOperator<String> text)
      throws SQLException {
    RedactedTable t = new RedactedTable(table, alias);
    Map<String, String> types = columnTypes(connection, table);
    for (Map.Entry<String, String> column : types.entrySet()) {
      String name = column.getKey();
      String type = column.getValue();
      UnaryOperator<String> redact = roles.getOrDefault(name, text);
      t.columns.add(name);
      String plain = alias + "." + quote(name);
      if (type.equals("VARCHAR")) {
        t.expressions.put(name, t.scalar(connection, name, redact, plain));
      } else if (type.equals("VARCHAR[]")) {
        t.expressions.put(name, t.list(connection, name, redact, plain));
      } else if (type.contains("VARCHAR")
          || type.contains("STRUCT")
          || type.contains("MAP")
          || type.contains("UNION")
          || type.contains("JSON")) {
        throw new SinkException(
            SinkException.Kind.INTERNAL,
            "cannot export "
                + table
                + "."
                + name
                + ": its type "
                + type
                + " may hold text that the export cannot redact");
      } else {
        t.expressions.put(name, plain);
      }
    }
    return t;
  }

  /** The expression that reads {@code column} redacted (qualified by the table's alias). */
  String expression(String column) {
    String e = expressions.get(column);
    if (e == null) {
      throw new SinkException(
          SinkException.Kind.INTERNAL, table + " has no column " + column + " to export");
    }
    return e;
  }

  /** Every column, redacted, under its own name: the table's {@code *}. */
  String selectList() {
    List<String> items = new ArrayList<>();
    for (String c : columns) {
      items.add(expression(c) + " AS " + quote(c));
    }
    return String.join(", ", items);
  }

  /** {@code WITH ...} for list columns that changed, or empty. */
  String with() {
    return ctes.isEmpty() ? "" : "WITH " + String.join(", ", ctes) + " ";
  }

  /** The table under its alias, joined to the mappings of its changed columns. */
  String from() {
    return quote(table) + " " + alias + (joins.isEmpty() ? "" : " " + String.join(" ", joins));
  }

  /** Distinct values that redaction changed, over all columns. */
  int changedValues() {
    return changed;
  }

  private String scalar(
      Connection connection, String column, UnaryOperator<String> redact, String plain)
      throws SQLException {
    String distinct =
        "SELECT DISTINCT "
            + quote(column)
            + " FROM "
            + quote(table)
            + " WHERE "
            + quote(column)
            + " IS NOT NULL";
    if (!record(connection, key(column), distinct, redact)) {
      return plain;
    }
    String m = alias + "_m" + joins.size();
    joins.add(
        "LEFT JOIN "
            + MAPPINGS
            + " "
            + m
            + " ON "
            + m
            + ".col = "
            + ExportLayout.literal(key(column))
            + " AND "
            + m
            + ".original = "
            + plain);
    return "coalesce(" + m + ".redacted, " + plain + ")";
  }

  private String list(
      Connection connection, String column, UnaryOperator<String> redact, String plain)
      throws SQLException {
    String distinct =
        "SELECT DISTINCT v FROM (SELECT unnest("
            + quote(column)
            + ") AS v FROM "
            + quote(table)
            + ") WHERE v IS NOT NULL";
    if (!record(connection, key(column), distinct, redact)) {
      return plain;
    }
    // Rebuild only the lists: element by element, in order, mapped where a mapping exists.
    String l = alias + "_l" + ctes.size();
    ctes.add(
        l
            + " AS (SELECT u.rid, list(coalesce(m.redacted, u.v) ORDER BY u.i) AS v FROM"
            + " (SELECT rowid AS rid, unnest("
            + quote(column)
            + ") AS v,"
            + " unnest(range(1, len("
            + quote(column)
            + ") + 1)) AS i FROM "
            + quote(table)
            + ") u"
            + " LEFT JOIN "
            + MAPPINGS
            + " m ON m.col = "
            + ExportLayout.literal(key(column))
            + " AND m.original = u.v GROUP BY u.rid)");
    joins.add("LEFT JOIN " + l + " ON " + l + ".rid = " + alias + ".rowid");
    return "CASE WHEN " + l + ".rid IS NULL THEN " + plain + " ELSE " + l + ".v END";
  }

  /** Redacts each distinct value; stores the changed ones. True if any changed. */
  private boolean record(
      Connection connection, String key, String distinctSql, UnaryOperator<String> redact)
      throws SQLException {
    int before = changed;
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery(distinctSql);
        PreparedStatement insert =
            connection.prepareStatement("INSERT INTO " + MAPPINGS + " VALUES (?, ?, ?)")) {
      int batched = 0;
      while (rs.next()) {
        String original = rs.getString(1);
        String redacted = redact.apply(original);
        if (redacted.equals(original)) {
          continue;
        }
        insert.setString(1, key);
        insert.setString(2, original);
        insert.setString(3, redacted);
        insert.addBatch();
        changed++;
        if (++batched == 1024) {
          insert.executeBatch();
          batched = 0;
        }
      }
      if (batched > 0) {
        insert.executeBatch();
      }
    }
    return changed > before;
  }

  private String key(String column) {
    return table + "." + column;
  }

  private static Map<String, String> columnTypes(Connection connection, String table)
      throws SQLException {
    Map<String, String> types = new LinkedHashMap<>();
    try (PreparedStatement s =
        connection.prepareStatement(
            "SELECT column_name, data_type FROM information_schema.columns"
                + " WHERE table_name = ? AND table_schema = current_schema()"
                + " AND table_catalog = current_database() ORDER BY ordinal_position")) {
      s.setString(1, table);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          types.put(rs.getString(1), rs.getString(2));
        }
      }
    }
    if (types.isEmpty()) {
      throw new SinkException(SinkException.Kind.INTERNAL, "the store has no table " + table);
    }
    return types;
  }

  static String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }
}
