package dev.tracefix.sink.schema;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Brings {@code events} up to {@link EventColumns}: a column {@code SafeEvent} declares and the
 * table lacks is added (NULL in the rows stored before), so an additive change needs no migration
 * class. A column whose stored type differs is not changed here: that is a non-additive change and
 * needs a {@code SchemaVn} migration that says what becomes of the stored values.
 */
final class EventColumnSync {
  private EventColumnSync() {}

  /** The columns added, by name; the table as it was when nothing was missing. */
  static List<String> addMissing(Statement statement) throws SQLException {
    Map<String, String> stored = new HashMap<>();
    try (ResultSet rs =
        statement.executeQuery(
            "SELECT column_name, data_type FROM duckdb_columns()"
                + " WHERE table_name = 'events' AND schema_name = 'main'")) {
      while (rs.next()) {
        stored.put(rs.getString(1), rs.getString(2).toUpperCase(Locale.ROOT));
      }
    }
    if (stored.isEmpty()) {
      throw new SQLException("the store has no events table to bring up to SafeEvent's columns");
    }
    List<String> mismatched = new ArrayList<>();
    List<EventColumns.Column> missing = new ArrayList<>();
    for (EventColumns.Column column : EventColumns.all()) {
      String type = stored.get(column.name());
      if (type == null) {
        missing.add(column);
      } else if (!type.equals(column.kind().sqlType())) {
        mismatched.add(
            column.name()
                + " is "
                + type
                + " in the store, "
                + column.kind().sqlType()
                + " in SafeEvent");
      }
    }
    if (!mismatched.isEmpty()) {
      throw new SQLException(
          "events columns changed type: "
              + String.join("; ", mismatched)
              + ". Only added columns are applied by themselves; a changed type needs a schema"
              + " migration (a SchemaVn class in StoreSchema) that converts the stored values");
    }
    List<String> added = new ArrayList<>();
    for (EventColumns.Column column : missing) {
      statement.execute(
          "ALTER TABLE events ADD COLUMN " + column.name() + " " + column.kind().sqlType());
      added.add(column.name());
    }
    return added;
  }
}
