package dev.tracefix.sink.schema;

import java.util.List;

/**
 * Version 5: the fields of capture's uprobe events, named as {@code SafeEvent}'s components in
 * snake_case. The return value has no column: it may be a raw address, and the privacy policy drops
 * it. Rows stored before this version read NULL in both new columns.
 */
final class SchemaV5 {
  private SchemaV5() {}

  static final List<String> DDL =
      List.of(
          "ALTER TABLE events ADD COLUMN symbol VARCHAR",
          "ALTER TABLE events ADD COLUMN binary_hash VARCHAR");
}
