package dev.tracefix.sink;

import java.nio.file.Path;

/**
 * A batch is durable: its segment is fsynced in the spool.
 *
 * @param segmentId the id {@code spool_segments} will hold once the rows are committed
 * @param table {@code events} or {@code processes}
 * @param rows rows in the segment
 * @param minTimeNs earliest event time (events only, else 0)
 * @param maxTimeNs latest event time (events only, else 0)
 * @param file the segment file
 */
public record SpoolAck(
    String segmentId, String table, long rows, long minTimeNs, long maxTimeNs, Path file) {}
