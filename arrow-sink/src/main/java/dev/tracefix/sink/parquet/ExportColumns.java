package dev.tracefix.sink.parquet;

import dev.tracefix.sink.SinkException;
import dev.tracefix.sink.schema.StoreSchema;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The columns an export's files hold, table by table, read from the one declaration of the stored
 * columns: a fresh store brought to the current schema by {@link StoreSchema#migrate} (whose {@code
 * events} columns are {@code EventColumns}', that is {@code SafeEvent}'s), plus the partition
 * columns the folders name. A column added to the store is a column here with no code written for
 * it; so is it in every table definition generated from this ({@link FleetDdl}).
 */
public final class ExportColumns {
  /** A column and its DuckDB type ({@code VARCHAR}, {@code TIMESTAMP_NS}, {@code BIGINT[]}...). */
  public record Column(String name, String type) {}

  /**
   * One exported table.
   *
   * @param columns what every file holds, in the store's order
   * @param partitions what the folder names hold ({@code date=/host=/capture=}), in folder order
   */
  public record Table(String name, List<Column> columns, List<Column> partitions) {
    /** Columns then partitions: the table as an engine reading the export sees it. */
    public List<Column> all() {
      List<Column> all = new ArrayList<>(columns);
      all.addAll(partitions);
      return List.copyOf(all);
    }
  }

  private ExportColumns() {}

  /** Every exported table as the current schema declares it, in export order. */
  public static List<Table> declared() {
    try (Connection store = DriverManager.getConnection("jdbc:duckdb:")) {
      StoreSchema.migrate(store);
      List<Table> tables = new ArrayList<>();
      for (String table : ExportLayout.ALL) {
        tables.add(new Table(table, columnsOf(store, table), ExportLayout.partitions(table)));
      }
      return List.copyOf(tables);
    } catch (SQLException e) {
      throw new SinkException(
          SinkException.Kind.INTERNAL, "reading the declared store schema: " + e.getMessage(), e);
    }
  }

  /** The declared table of this name. */
  public static Table declared(String table) {
    return declared().stream()
        .filter(t -> t.name().equals(table))
        .findFirst()
        .orElseThrow(
            () -> new SinkException(SinkException.Kind.USER, "an export has no table " + table));
  }

  private static List<Column> columnsOf(Connection store, String table) throws SQLException {
    List<Column> columns = new ArrayList<>();
    try (PreparedStatement columnsOf =
        store.prepareStatement(
            "SELECT column_name, data_type FROM information_schema.columns"
                + " WHERE table_schema = current_schema() AND table_name = ?"
                + " ORDER BY ordinal_position")) {
      columnsOf.setString(1, table);
      try (ResultSet rs = columnsOf.executeQuery()) {
        while (rs.next()) {
          columns.add(new Column(rs.getString(1), rs.getString(2)));
        }
      }
    }
    if (columns.isEmpty()) {
      throw new SinkException(
          SinkException.Kind.INTERNAL, "the store schema has no table " + table + " to export");
    }
    return List.copyOf(columns);
  }
}
