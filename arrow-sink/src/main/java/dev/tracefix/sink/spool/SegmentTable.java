package dev.tracefix.sink.spool;

import dev.tracefix.sink.arrow.ArrowStreamInsert;
import dev.tracefix.sink.arrow.EventBatch;
import dev.tracefix.sink.arrow.ProcessBatch;
import org.apache.arrow.vector.types.pojo.Schema;

/** Which table a spool segment's rows go to. */
public enum SegmentTable {
  EVENTS("events", EventBatch.SCHEMA, ArrowStreamInsert.EVENTS_SQL),
  PROCESSES("processes", ProcessBatch.SCHEMA, ArrowStreamInsert.PROCESSES_SQL);

  private final String tableName;
  private final Schema schema;
  private final String insertSql;

  SegmentTable(String tableName, Schema schema, String insertSql) {
    this.tableName = tableName;
    this.schema = schema;
    this.insertSql = insertSql;
  }

  public String tableName() {
    return tableName;
  }

  Schema schema() {
    return schema;
  }

  String insertSql() {
    return insertSql;
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
