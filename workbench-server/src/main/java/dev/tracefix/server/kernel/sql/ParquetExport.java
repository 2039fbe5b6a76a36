package dev.tracefix.server.kernel.sql;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * A kept result as a Parquet file, written by DuckDB's {@code COPY ... TO} (so the column types are
 * DuckDB's own, and a 10M-row result never passes through the server's heap) into the database's
 * server folder ({@link NotebookDatabase#serverFolder}), streamed to the client and deleted.
 *
 * <p>Text passes {@code guard} (the key-material check) as it does in pages and CSV: DuckDB first
 * finds the few rows whose text could hold key material (64 hex digits in a row), those values are
 * checked in Java, and the ones the guard changes are replaced in a copy of the result before it is
 * written. A match inside a nested value (a list or struct) cannot be replaced in place: the export
 * is refused with a clear message instead of writing it.
 */
public final class ParquetExport {
  /** A superset of what the key-material guard withholds, in DuckDB's regular expressions. */
  private static final String CANDIDATE = "[0-9a-fA-F]{64}";

  private ParquetExport() {}

  /** Why a result cannot be exported as Parquet. */
  public static final class Refused extends SQLException {
    Refused(String message) {
      super(message);
    }
  }

  /** Writes the result, sorted like the grid when {@code sort} is given; returns the rows. */
  public static long write(
      NotebookDatabase database,
      ResultTable table,
      Optional<String> sort,
      boolean descending,
      UnaryOperator<String> guard,
      OutputStream out)
      throws SQLException, IOException {
    Path folder =
        database
            .serverFolder()
            .orElseThrow(() -> new Refused("this notebook's database has no folder to export to"));
    Files.createDirectories(folder);
    Path file = folder.resolve("export-" + UUID.randomUUID() + ".parquet");
    try (Connection c = database.serverConnection()) {
      List<Column> columns = columns(c, table);
      if (sort.isPresent() && columns.stream().noneMatch(col -> col.name.equals(sort.get()))) {
        throw new ResultPages.UnknownColumn(
            sort.get(), columns.stream().map(col -> col.name).toList());
      }
      String source = guarded(c, table, columns, guard);
      StringBuilder sql = new StringBuilder("COPY (SELECT * FROM ").append(source);
      if (sort.isPresent()) {
        sql.append(" ORDER BY ").append(ResultTable.quote(sort.get()));
        sql.append(descending ? " DESC" : " ASC").append(" NULLS LAST");
      }
      sql.append(") TO '").append(file.toString().replace("'", "''")).append("' (FORMAT parquet)");
      long rows;
      try (Statement s = c.createStatement()) {
        s.execute(sql.toString());
        rows = s.getUpdateCount();
      }
      Files.copy(file, out);
      out.flush();
      return rows;
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private record Column(String name, String type) {
    boolean text() {
      return type.equals("VARCHAR");
    }
  }

  private static List<Column> columns(Connection c, ResultTable table) throws SQLException {
    List<Column> columns = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("DESCRIBE SELECT * FROM " + table.sql())) {
      while (rs.next()) {
        columns.add(new Column(rs.getString("column_name"), rs.getString("column_type")));
      }
    }
    return columns;
  }

  /**
   * The relation to export: {@code table} itself when no value could hold key material, else a
   * temporary copy of it (this connection's own) with the guard's replacements applied.
   */
  private static String guarded(
      Connection c, ResultTable table, List<Column> columns, UnaryOperator<String> guard)
      throws SQLException {
    List<String> tests = new ArrayList<>();
    for (Column col : columns) {
      tests.add(
          "regexp_matches(CAST("
              + ResultTable.quote(col.name)
              + " AS VARCHAR), '"
              + CANDIDATE
              + "')");
    }
    if (tests.isEmpty()) {
      return table.sql();
    }
    String candidates = String.join(" OR ", tests);
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT count(*) FROM " + table.sql() + " WHERE " + candidates)) {
      rs.next();
      if (rs.getLong(1) == 0) {
        return table.sql();
      }
    }
    String copy = "tracefix_parquet_export";
    try (Statement s = c.createStatement()) {
      s.execute("CREATE OR REPLACE TEMP TABLE " + copy + " AS SELECT * FROM " + table.sql());
    }
    List<String> selected = new ArrayList<>();
    for (Column col : columns) {
      selected.add("CAST(" + ResultTable.quote(col.name) + " AS VARCHAR)");
    }
    record Replacement(long rowid, String column, String text) {}
    List<Replacement> replacements = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT rowid, "
                    + String.join(", ", selected)
                    + " FROM "
                    + copy
                    + " WHERE "
                    + candidates)) {
      while (rs.next()) {
        for (int i = 0; i < columns.size(); i++) {
          String value = rs.getString(i + 2);
          String checked = guard.apply(value);
          if (Objects.equals(value, checked)) {
            continue;
          }
          Column col = columns.get(i);
          if (!col.text()) {
            throw new Refused(
                "column '"
                    + col.name
                    + "' ("
                    + col.type
                    + ") holds text in the key store's format, which an export withholds;"
                    + " select it as VARCHAR, or download the result as CSV");
          }
          replacements.add(new Replacement(rs.getLong(1), col.name, checked));
        }
      }
    }
    for (Replacement r : replacements) {
      try (PreparedStatement update =
          c.prepareStatement(
              "UPDATE " + copy + " SET " + ResultTable.quote(r.column) + " = ? WHERE rowid = ?")) {
        update.setString(1, r.text);
        update.setLong(2, r.rowid);
        update.executeUpdate();
      }
    }
    return copy;
  }
}
