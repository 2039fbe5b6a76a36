package dev.tracefix.capture;

import java.time.Instant;
import java.util.List;

/**
 * What one capture did, recorded in the {@code captures} table.
 *
 * @param captureId unique id of this capture
 * @param startedAt when probes were attached
 * @param endedAt when probes were detached
 * @param probes the attached probes, e.g. {@code tracepoint/syscalls/sys_enter_sendto}
 * @param eventCount events delivered to the sink
 * @param dropCount events the kernel could not reserve ring space for (exact, summed over CPUs)
 * @param keyId key id under which this capture's tokens were made
 * @param commandExitCode exit code of the traced command, or -1 when none was run
 */
public record CaptureSummary(
    String captureId,
    Instant startedAt,
    Instant endedAt,
    List<String> probes,
    long eventCount,
    long dropCount,
    String keyId,
    int commandExitCode) {
  public CaptureSummary {
    probes = List.copyOf(probes);
  }
}
