package dev.tracefix.sink.schema;

import dev.tracefix.capture.EventType;
import dev.tracefix.capture.SafeEvent;
import dev.tracefix.capture.privacy.policy.EventSchema;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The columns of {@code events}, read from the components of {@link SafeEvent}: a field added there
 * is a column here, in the Arrow batches, the spool segments and (added by {@link
 * StoreSchema#migrate}) the DuckDB table, with no code written for it. The column is the snake_case
 * of the component ({@code previousToken} → {@code previous_token}, the name the privacy policy
 * uses too); its type follows the component's Java type.
 *
 * <p>The few exceptions below are kept as they were before the columns were derived, because the
 * notebooks, saved queries and exports read them by these names and types.
 */
public final class EventColumns {
  /** How a column is stored; the Arrow type of the batches and the DuckDB type of the table. */
  public enum Kind {
    /** Nanoseconds since the epoch without a zone: DuckDB reads it as UTC. */
    TIMESTAMP(new ArrowType.Timestamp(TimeUnit.NANOSECOND, null), "TIMESTAMP_NS"),
    TEXT(ArrowType.Utf8.INSTANCE, "VARCHAR"),
    INT(new ArrowType.Int(32, true), "INTEGER"),
    BIGINT(new ArrowType.Int(64, true), "BIGINT");

    private final ArrowType arrowType;
    private final String sqlType;

    Kind(ArrowType arrowType, String sqlType) {
      this.arrowType = arrowType;
      this.sqlType = sqlType;
    }

    public ArrowType arrowType() {
      return arrowType;
    }

    public String sqlType() {
      return sqlType;
    }
  }

  /**
   * One column of {@code events}.
   *
   * @param name the column's name
   * @param kind how it is stored
   * @param nullable whether a row may hold NULL (text does; numbers do not, except {@code
   *     stack_id})
   * @param component the {@link SafeEvent} component it is read from
   * @param derivation how the stored value follows from the component's value
   */
  public record Column(
      String name, Kind kind, boolean nullable, RecordComponent component, Derivation derivation) {
    public Field arrowField() {
      return new Field(name, new FieldType(nullable, kind.arrowType(), null), null);
    }
  }

  /** How a column's value follows from its component's. */
  public enum Derivation {
    /** The value itself; an {@link EventType} as its {@link EventType#columnValue()}. */
    AS_IS,
    /** NULL for 0, the value otherwise: an id where 0 means "none". */
    ZERO_IS_NULL,
    /** The symbolic name of a positive errno ({@code ETIMEDOUT}); NULL for 0 and unknown ones. */
    ERRNO_NAME
  }

  /** {@code timeNs} is stored as {@code time}, a timestamp. */
  private static final String TIME_COMPONENT = "timeNs";

  /**
   * Components with no column. {@code returnValue}: a uprobe's return register may be a raw
   * pointer; the default policy drops it and the store never kept it.
   */
  private static final Set<String> NOT_STORED = Set.of("returnValue");

  /** Components stored NULL when 0 ({@code stack_id}: 0 means the event has no stack). */
  private static final Set<String> ZERO_IS_NULL = Set.of("stackId");

  /** A column derived from a component, stored right after the component's own. */
  private static final Map<String, String> NAMED_AFTER = Map.of("errno", "errno_name");

  private static final List<Column> ALL = derive();

  /** Every column of {@code events} but {@code capture_id}, in {@link SafeEvent}'s order. */
  public static final Schema SCHEMA = new Schema(ALL.stream().map(Column::arrowField).toList());

  private EventColumns() {}

  public static List<Column> all() {
    return ALL;
  }

  /** The column of this name, if {@code events} has one this version writes. */
  public static Optional<Column> named(String name) {
    return ALL.stream().filter(c -> c.name().equals(name)).findFirst();
  }

  private static List<Column> derive() {
    List<Column> columns = new ArrayList<>();
    for (RecordComponent component : SafeEvent.class.getRecordComponents()) {
      String name = component.getName();
      if (NOT_STORED.contains(name)) {
        continue;
      }
      Class<?> type = component.getType();
      if (name.equals(TIME_COMPONENT)) {
        columns.add(new Column("time", Kind.TIMESTAMP, false, component, Derivation.AS_IS));
      } else if (type == String.class || type == EventType.class) {
        boolean nullable = type == String.class;
        columns.add(
            new Column(EventSchema.snake(name), Kind.TEXT, nullable, component, Derivation.AS_IS));
      } else if (type == int.class || type == long.class) {
        Kind kind = type == int.class ? Kind.INT : Kind.BIGINT;
        boolean zeroIsNull = ZERO_IS_NULL.contains(name);
        columns.add(
            new Column(
                EventSchema.snake(name),
                kind,
                zeroIsNull,
                component,
                zeroIsNull ? Derivation.ZERO_IS_NULL : Derivation.AS_IS));
      } else {
        throw new IllegalStateException(
            "SafeEvent."
                + name
                + " is a "
                + type.getSimpleName()
                + ": events columns are derived from int, long, String and EventType components;"
                + " store it as one of those");
      }
      String derived = NAMED_AFTER.get(name);
      if (derived != null) {
        columns.add(new Column(derived, Kind.TEXT, true, component, Derivation.ERRNO_NAME));
      }
    }
    return List.copyOf(columns);
  }
}
