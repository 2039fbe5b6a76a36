package dev.tracefix.sink.spool;

import dev.tracefix.sink.arrow.ArrowStreamInsert;
import dev.tracefix.sink.arrow.EventBatch;
import dev.tracefix.sink.arrow.ProcessBatch;
import java.util.List;
import java.util.Optional;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * Which table a spool segment's rows go to, and the column layouts a segment of it may have: the
 * one written today first, then those older tracefix versions wrote, so a spool left behind by an
 * older version is still ingested after an upgrade.
 */
public enum SegmentTable {
  EVENTS(
      "events",
      new Layout(EventBatch.SCHEMA.getFields(), ArrowStreamInsert.EVENTS_SQL),
      new Layout(EventBatch.V6_LAYOUT_FIELDS, ArrowStreamInsert.EVENTS_V6_SQL),
      new Layout(EventBatch.V5_LAYOUT_FIELDS, ArrowStreamInsert.EVENTS_V5_SQL),
      new Layout(EventBatch.V4_LAYOUT_FIELDS, ArrowStreamInsert.EVENTS_V4_SQL),
      new Layout(EventBatch.V3_FIELDS, ArrowStreamInsert.EVENTS_V3_SQL)),
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
