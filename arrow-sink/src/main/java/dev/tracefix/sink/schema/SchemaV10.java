package dev.tracefix.sink.schema;

import java.util.List;

/**
 * Version 10: {@code captures.retention_exempt}. True for a capture no retention rule may delete:
 * the recorded example shipped in {@code examples/recorded-capture}, which is dated in the past on
 * purpose and describes no real system, so it must stay usable after the 14 days a real capture's
 * events are kept. NULL (every capture stored before, and every live capture) means the store's
 * retention applies. {@code forget} still deletes an exempt capture.
 */
final class SchemaV10 {
  private SchemaV10() {}

  static final List<String> DDL =
      List.of("ALTER TABLE captures ADD COLUMN retention_exempt BOOLEAN");
}
