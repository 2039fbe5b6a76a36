package dev.tracefix.server.kernel.sql;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a notebook's SQL can name, read live from its DuckDB catalog: the store's tables and views,
 * the notebook's named results (schema {@code scratch}), their columns and types, and the function
 * names. The editor completes from it and the schema browser lists it. The tables that only keep
 * unnamed cells' pages ({@code tracefix_cells}, {@code tracefix_java}) are left out: SQL does not
 * name them.
 *
 * @param relations tables, views and named results, by schema then name
 * @param functions every function and macro name, sorted, each once
 */
public record SqlCatalog(List<Relation> relations, List<String> functions) {

  /**
   * @param schema how SQL qualifies it: {@code store} for the event store, {@code scratch} for
   *     results
   * @param kind {@code table}, {@code view} or {@code result} (a named result of this notebook)
   * @param rows the table's row count as DuckDB estimates it; -1 for a view
   */
  public record Relation(
      String schema, String name, String kind, long rows, List<Column> columns) {}

  public record Column(String name, String type) {}

  /** Reads the catalog through {@code connection} (any connection of the notebook's database). */
  public static SqlCatalog read(Connection connection) throws SQLException {
    Map<String, Relation> relations = new LinkedHashMap<>();
    try (Statement s = connection.createStatement()) {
      try (ResultSet rs =
          s.executeQuery(
              "SELECT "
                  + QUALIFIER
                  + ", table_name, estimated_size FROM duckdb_tables()"
                  + " WHERE NOT internal AND NOT temporary AND "
                  + visible("")
                  + " ORDER BY schema_name, table_name")) {
        while (rs.next()) {
          String schema = rs.getString(1);
          String kind = schema.equals(NotebookDatabase.SCRATCH) ? "result" : "table";
          relations.put(
              key(schema, rs.getString(2)),
              new Relation(schema, rs.getString(2), kind, rs.getLong(3), new ArrayList<>()));
        }
      }
      try (ResultSet rs =
          s.executeQuery(
              "SELECT "
                  + QUALIFIER
                  + ", view_name FROM duckdb_views()"
                  + " WHERE NOT internal AND NOT temporary AND "
                  + visible("")
                  + " ORDER BY schema_name, view_name")) {
        while (rs.next()) {
          relations.put(
              key(rs.getString(1), rs.getString(2)),
              new Relation(rs.getString(1), rs.getString(2), "view", -1, new ArrayList<>()));
        }
      }
      try (ResultSet rs =
          s.executeQuery(
              "SELECT "
                  + QUALIFIER
                  + ", table_name, column_name, data_type FROM duckdb_columns()"
                  + " WHERE NOT internal AND "
                  + visible("")
                  + " ORDER BY schema_name, table_name, column_index")) {
        while (rs.next()) {
          Relation r = relations.get(key(rs.getString(1), rs.getString(2)));
          if (r != null) {
            r.columns().add(new Column(rs.getString(3), rs.getString(4)));
          }
        }
      }
      List<String> functions = new ArrayList<>();
      try (ResultSet rs =
          s.executeQuery(
              "SELECT DISTINCT function_name FROM duckdb_functions()"
                  + " WHERE function_name NOT LIKE '\\_\\_%' ESCAPE '\\'"
                  + " AND function_name SIMILAR TO '[a-z_][a-z0-9_]*' ORDER BY 1")) {
        while (rs.next()) {
          functions.add(rs.getString(1));
        }
      }
      List<Relation> list =
          relations.values().stream()
              .map(
                  r ->
                      new Relation(
                          r.schema(), r.name(), r.kind(), r.rows(), List.copyOf(r.columns())))
              .toList();
      return new SqlCatalog(list, List.copyOf(functions));
    }
  }

  /**
   * How SQL names a relation's schema: the notebook's own schemas by name ({@code scratch}), an
   * attached database's by the database ({@code store}, whose default schema is {@code main}).
   */
  private static final String QUALIFIER =
      "CASE WHEN database_name = '"
          + NotebookDatabase.CATALOG
          + "' THEN schema_name WHEN schema_name = 'main' THEN database_name"
          + " ELSE database_name || '.' || schema_name END";

  /** The schemas a person's SQL names: not DuckDB's own, not the paging tables. */
  private static String visible(String prefix) {
    return prefix
        + "schema_name NOT IN ('"
        + NotebookDatabase.CELLS
        + "', '"
        + NotebookDatabase.JAVA
        + "', 'information_schema', 'pg_catalog')";
  }

  private static String key(String schema, String name) {
    return schema + "\u0000" + name;
  }
}
