package dev.tracefix.sink.schema;

import dev.tracefix.capture.JvmEventType;
import dev.tracefix.capture.SafeJvmEvent;
import dev.tracefix.capture.privacy.policy.EventSchema;
import java.lang.reflect.RecordComponent;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The columns of {@code jvm_events}, read from the components of {@link SafeJvmEvent} as {@link
 * EventColumns} reads {@code events}' from {@code SafeEvent}: snake_case names, {@code timeNs} as
 * {@code time}, {@code stack_id} NULL for 0. A component added there is a column here and in the
 * store (added by {@link #addMissing} when a store opens) with no code written for it.
 */
public final class JvmEventColumns {
  /**
   * One column.
   *
   * @param name its name
   * @param kind how it is stored
   * @param component the component it is read from
   * @param zeroIsNull whether 0 is stored as NULL (an id where 0 means none)
   */
  public record Column(
      String name, EventColumns.Kind kind, RecordComponent component, boolean zeroIsNull) {}

  private static final List<Column> ALL = derive();

  private JvmEventColumns() {}

  /** Every column but {@code capture_id}, in {@link SafeJvmEvent}'s order. */
  public static List<Column> all() {
    return ALL;
  }

  private static List<Column> derive() {
    List<Column> columns = new ArrayList<>();
    for (RecordComponent c : SafeJvmEvent.class.getRecordComponents()) {
      Class<?> t = c.getType();
      String name = c.getName().equals("timeNs") ? "time" : EventSchema.snake(c.getName());
      EventColumns.Kind kind =
          name.equals("time")
              ? EventColumns.Kind.TIMESTAMP
              : t == String.class || t == JvmEventType.class
                  ? EventColumns.Kind.TEXT
                  : t == int.class ? EventColumns.Kind.INT : EventColumns.Kind.BIGINT;
      if (t != String.class && t != JvmEventType.class && t != int.class && t != long.class) {
        throw new IllegalStateException("SafeJvmEvent." + c.getName() + " has no column type");
      }
      columns.add(new Column(name, kind, c, name.equals("stack_id")));
    }
    return List.copyOf(columns);
  }

  /** Adds the columns {@link SafeJvmEvent} declares and {@code jvm_events} lacks; returns them. */
  static List<String> addMissing(Statement statement) throws SQLException {
    Map<String, String> stored = new HashMap<>();
    try (ResultSet rs =
        statement.executeQuery(
            "SELECT column_name, data_type FROM duckdb_columns()"
                + " WHERE table_name = 'jvm_events' AND schema_name = 'main'")) {
      while (rs.next()) {
        stored.put(rs.getString(1), rs.getString(2).toUpperCase(Locale.ROOT));
      }
    }
    List<String> added = new ArrayList<>();
    for (Column c : ALL) {
      String type = stored.get(c.name());
      if (type == null) {
        statement.execute(
            "ALTER TABLE jvm_events ADD COLUMN " + c.name() + " " + c.kind().sqlType());
        added.add(c.name());
      } else if (!type.equals(c.kind().sqlType())) {
        throw new SQLException(
            "jvm_events."
                + c.name()
                + " is "
                + type
                + " in the store, "
                + c.kind().sqlType()
                + " in SafeJvmEvent: a changed type needs a schema migration");
      }
    }
    return added;
  }
}
