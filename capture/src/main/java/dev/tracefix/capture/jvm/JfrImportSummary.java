package dev.tracefix.capture.jvm;

import java.time.Instant;
import java.util.Map;

/**
 * What reading one recording did.
 *
 * @param imported events stored, by recorder type name
 * @param skipped events of types tracefix does not store (never read beyond their type)
 * @param stacks distinct stacks delivered
 * @param exactIdentity whether the process and thread tokens are those kernel events of the JVM
 *     carry (see {@link JvmIdentity})
 * @param first the earliest event's start, or null for a recording without stored events
 * @param last the latest event's start, or null
 */
public record JfrImportSummary(
    Map<String, Long> imported,
    long skipped,
    int stacks,
    boolean exactIdentity,
    Instant first,
    Instant last) {
  public JfrImportSummary {
    imported = Map.copyOf(imported);
  }

  public long total() {
    return imported.values().stream().mapToLong(Long::longValue).sum();
  }
}
