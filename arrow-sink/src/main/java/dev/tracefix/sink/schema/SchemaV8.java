package dev.tracefix.sink.schema;

import java.util.List;

/**
 * Version 8: {@code capture_stats.stack_failures}, the records of a type that asked for a stack and
 * went without one (the kernel's stack map was full, or the walk failed). The records themselves
 * are counted as before; rows stored before this version read NULL.
 */
final class SchemaV8 {
  private SchemaV8() {}

  static final List<String> DDL =
      List.of("ALTER TABLE capture_stats ADD COLUMN stack_failures BIGINT");
}
