package dev.tracefix.sink.schema;

import java.util.List;

/**
 * Version 11: {@code captures.loss}, what a capture lost and why, in words ("179967 of 179967
 * events lost: 179967 on failed spool writes (java.io.IOException: No space left on device)"), or
 * NULL when every event it produced was stored. From this version on {@code event_count} is the
 * events stored and {@code drop_count} every event lost (ring buffer, ingest queue, spool), so
 * {@code event_count} equals the capture's rows in {@code events}; rows stored before keep the
 * delivered count and the kernel's drops.
 */
final class SchemaV11 {
  private SchemaV11() {}

  static final List<String> DDL = List.of("ALTER TABLE captures ADD COLUMN loss VARCHAR");
}
