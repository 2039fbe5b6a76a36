package dev.tracefix.sink.schema;

import java.util.List;

/**
 * Version 9: {@code captures.policy_source}, which policy file the capture applied (its path with
 * user names redacted, or {@code built-in}); its hash was already in {@code policy_hash}. Rows
 * stored before this version read NULL.
 */
final class SchemaV9 {
  private SchemaV9() {}

  static final List<String> DDL = List.of("ALTER TABLE captures ADD COLUMN policy_source VARCHAR");
}
