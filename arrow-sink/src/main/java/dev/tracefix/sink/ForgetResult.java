package dev.tracefix.sink;

import java.util.Map;

/**
 * What one {@link EventStore#forget} deleted, per place: {@code events}, {@code processes}, … for
 * the database and {@code parquet:<table>} summed over the export folders given.
 *
 * @param subjectDigest the digest the audit table recorded ({@link Subject#digest()})
 * @param rowsByTable rows deleted, in the order they were deleted
 * @param parquetFilesRewritten Parquet files rewritten or removed
 */
public record ForgetResult(
    String subjectKind,
    String subjectDigest,
    Map<String, Long> rowsByTable,
    int parquetFilesRewritten) {
  public ForgetResult {
    rowsByTable = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(rowsByTable));
  }

  public long totalRows() {
    return rowsByTable.values().stream().mapToLong(Long::longValue).sum();
  }
}
