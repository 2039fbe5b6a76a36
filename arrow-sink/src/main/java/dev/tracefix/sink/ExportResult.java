package dev.tracefix.sink;

import java.util.Map;
import java.util.TreeMap;

/**
 * What {@link EventStore#exportParquet} wrote.
 *
 * @param rows rows written over all tables
 * @param changedValues distinct text values (per column) that redaction changed before writing
 * @param replacements recognizer findings replaced in those values, by type
 * @param keyId the key the placeholders and host tokens are made under
 */
public record ExportResult(
    long rows, int changedValues, Map<String, Long> replacements, String keyId) {
  public ExportResult {
    replacements = Map.copyOf(replacements);
  }

  /** {@code "AUTH 2, EMAIL 5"}, or {@code "none"}. */
  public String replacementSummary() {
    if (replacements.isEmpty()) {
      return "none";
    }
    StringBuilder sb = new StringBuilder();
    new TreeMap<>(replacements)
        .forEach(
            (type, n) -> sb.append(sb.isEmpty() ? "" : ", ").append(type).append(' ').append(n));
    return sb.toString();
  }
}
