package dev.tracefix.capture;

import java.time.Instant;
import java.util.List;

/**
 * A snapshot of a running capture, taken by the capture thread about once a second.
 *
 * <p>The per-type counters are read while probes fire, so a record may be counted as produced but
 * not yet as stored or dropped: {@code produced >= stored + dropped} holds in every snapshot
 * (stored and dropped are read first), and equality holds in the last one, taken after the final
 * drain. Every counter is non-decreasing from one snapshot to the next.
 *
 * @param at when the snapshot was taken
 * @param types per record type produced, stored (read from the ring) and dropped, as in {@link
 *     CaptureSummary#stats()}; types with no record omitted
 * @param delivered redacted events delivered to the sink so far
 * @param cpuSeconds CPU time (user + system) the capturing process has used since it started
 * @param residentBytes resident memory of the capturing process (VmRSS), 0 where unknown
 * @param heapUsedBytes Java heap in use
 * @param running false in the last snapshot, taken after the probes were detached
 */
public record LiveStats(
    Instant at,
    List<TypeStats> types,
    long delivered,
    double cpuSeconds,
    long residentBytes,
    long heapUsedBytes,
    boolean running) {
  public LiveStats {
    types = List.copyOf(types);
  }
}
