package dev.tracefix.capture;

import dev.tracefix.capture.privacy.Attestation;
import java.time.Instant;
import java.util.List;

/**
 * What one capture did, recorded in the {@code captures} table.
 *
 * @param captureId the capture's id, {@code c-} and 8 hex digits ({@link #newCaptureId()}); a
 *     capture stored in an event store carries the id of its {@code captures} row
 * @param startedAt when probes were attached
 * @param endedAt when probes were detached
 * @param probes the attached probes, e.g. {@code tracepoint/syscalls/sys_enter_sendto}
 * @param eventCount events delivered to the sink
 * @param dropCount events the kernel could not reserve ring space for (exact, summed over CPUs)
 * @param keyId key id under which this capture's tokens were made
 * @param commandExitCode exit code of the traced command, or -1 when none was run
 * @param stats per record type: produced, stored and dropped, exact; types with no record omitted
 * @param attestation what the privacy engine can prove about this capture (policy hash, key ids,
 *     redaction counts, no payload bytes), or null where no engine ran
 * @param bootIdHash hash of the kernel's boot id ({@link dev.tracefix.capture.proc.BootIdHash}), or
 *     null where unknown
 * @param clockOffsetNs wall clock minus CLOCK_MONOTONIC (the clock of {@code bpf_ktime_get_ns},
 *     which stamps every event) at capture start, in ns: {@code events.time} is the monotonic
 *     timestamp plus this offset; null where unknown
 */
public record CaptureSummary(
    String captureId,
    Instant startedAt,
    Instant endedAt,
    List<String> probes,
    long eventCount,
    long dropCount,
    String keyId,
    int commandExitCode,
    List<TypeStats> stats,
    Attestation attestation,
    String bootIdHash,
    Long clockOffsetNs) {
  public CaptureSummary {
    probes = List.copyOf(probes);
    stats = List.copyOf(stats);
  }

  /** A fresh capture id: {@code c-} and 8 random hex digits, the form every capture id takes. */
  public static String newCaptureId() {
    return "c-" + java.util.UUID.randomUUID().toString().substring(0, 8);
  }

  /**
   * This summary as its store recorded it: under the store's capture id, with the events the store
   * committed and every event lost on the way (kernel, ingest queue, spool), which is what its
   * {@code captures} row says.
   */
  public CaptureSummary asStored(String id, long eventsStored, long eventsLost) {
    return new CaptureSummary(
        id,
        startedAt,
        endedAt,
        probes,
        eventsStored,
        eventsLost,
        keyId,
        commandExitCode,
        stats,
        attestation,
        bootIdHash,
        clockOffsetNs);
  }

  /**
   * This summary with a recorder that ran beside the kernel probes: its name among the probes, its
   * per-type accounting after the kernel's (e.g. {@code jfr} and the JVM event types), and what its
   * privacy engine did added to the attestation.
   */
  public CaptureSummary plus(String probe, List<TypeStats> moreStats, Attestation more) {
    List<String> allProbes = new java.util.ArrayList<>(probes);
    allProbes.add(probe);
    List<TypeStats> allStats = new java.util.ArrayList<>(stats);
    allStats.addAll(moreStats);
    return new CaptureSummary(
        captureId,
        startedAt,
        endedAt,
        allProbes,
        eventCount,
        dropCount,
        keyId,
        commandExitCode,
        allStats,
        attestation == null ? more : attestation.plus(more),
        bootIdHash,
        clockOffsetNs);
  }

  /** A summary without an attestation (made outside the capture pipeline). */
  public CaptureSummary(
      String captureId,
      Instant startedAt,
      Instant endedAt,
      List<String> probes,
      long eventCount,
      long dropCount,
      String keyId,
      int commandExitCode,
      List<TypeStats> stats) {
    this(
        captureId,
        startedAt,
        endedAt,
        probes,
        eventCount,
        dropCount,
        keyId,
        commandExitCode,
        stats,
        null,
        null,
        null);
  }

  /** A summary without per-type accounting (e.g. a capture recorded before it existed). */
  public CaptureSummary(
      String captureId,
      Instant startedAt,
      Instant endedAt,
      List<String> probes,
      long eventCount,
      long dropCount,
      String keyId,
      int commandExitCode) {
    this(
        captureId,
        startedAt,
        endedAt,
        probes,
        eventCount,
        dropCount,
        keyId,
        commandExitCode,
        List.of());
  }
}
