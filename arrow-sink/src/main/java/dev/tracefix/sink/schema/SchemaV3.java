package dev.tracefix.sink.schema;

import java.util.List;

/**
 * Version 3: the deletion audit. One row per table touched by a {@code forget} or a retention
 * sweep: when, what kind of subject, a SHA-256 digest of the subject (never the subject itself),
 * which table (or {@code parquet:<table>} for an export folder) and how many rows went.
 */
final class SchemaV3 {
  private SchemaV3() {}

  // "at" is a DuckDB keyword (AT TIME ZONE): queries quote it, SELECT "at" FROM deletions.
  static final List<String> DDL =
      List.of(
          """
          CREATE TABLE deletions(
            "at" TIMESTAMP,
            subject_kind VARCHAR,
            subject_digest VARCHAR,
            table_name VARCHAR,
            rows BIGINT)
          """);
}
