package dev.tracefix.sink.spool;

import dev.tracefix.sink.arrow.ArrowStreamInsert;
import dev.tracefix.sink.arrow.ProcessBatch;
import dev.tracefix.sink.schema.EventColumns;
import java.util.List;
import java.util.Optional;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * Which table a spool segment's rows go to, and how its columns are read. An {@code events}
 * segment's columns are matched by name with {@link EventColumns}: a segment an older version wrote
 * has fewer of them (those stay NULL), so a spool left behind by an older version is still ingested
 * after an upgrade. {@code processes} segments have the layouts listed: the one written today
 * first, then the older one, whose container id the store derives.
 */
public enum SegmentTable {
  EVENTS("events"),
  PROCESSES(
      "processes",
      new Layout(ProcessBatch.SCHEMA.getFields(), ArrowStreamInsert.PROCESSES_SQL),
      new Layout(ProcessBatch.V5_FIELDS, ArrowStreamInsert.PROCESSES_V5_SQL));

  /** The Arrow fields of a segment and the INSERT that reads them into the table. */
  record Layout(List<Field> fields, String insertSql) {}

  private final String tableName;
  private final List<Layout> layouts;

  SegmentTable(String tableName, Layout... layouts) {
    this.tableName = tableName;
    this.layouts = List.of(layouts);
  }

  public String tableName() {
    return tableName;
  }

  /** The INSERT for a segment with these fields, or empty when no tracefix wrote such a layout. */
  Optional<String> insertSqlFor(List<Field> fields) {
    if (this == EVENTS) {
      boolean known =
          !fields.isEmpty()
              && fields.stream()
                  .allMatch(
                      f ->
                          EventColumns.named(f.getName())
                              .filter(c -> c.kind().arrowType().equals(f.getType()))
                              .isPresent());
      return known
          ? Optional.of(ArrowStreamInsert.insertNamed(tableName, fields))
          : Optional.empty();
    }
    return layouts.stream()
        .filter(layout -> layout.fields().equals(fields))
        .map(Layout::insertSql)
        .findFirst();
  }

  static SegmentTable named(String tableName) {
    for (SegmentTable table : values()) {
      if (table.tableName.equals(tableName)) {
        return table;
      }
    }
    return null;
  }
}
