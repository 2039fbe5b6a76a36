package dev.tracefix.capture.ffm;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@link BpfSession} keeps of the ring's records: each one decoded (copied out of the ring's
 * memory) into the next batch, and counted by the kernel type id in its first field.
 */
final class RingRecords {
  private final List<RawRecord> pending = new ArrayList<>();

  /**
   * Records read from the ring, by the type id in their first field; index 0 counts the records
   * that did not decode (an unknown type id, or shorter than their type's layout), so a type's
   * count is only records that became events.
   */
  private final long[] consumedByType = new long[NetTraceLayout.EVENT_TYPES];

  private final NetTraceLayout.CommCache comms = new NetTraceLayout.CommCache();

  /** Copies one record out of the ring; a record that does not decode is counted and skipped. */
  void onRecord(MemorySegment record) {
    RawRecord decoded = NetTraceLayout.decodeRecord(record, comms);
    if (decoded == null) {
      consumedByType[0]++;
      return;
    }
    int type = record.get(JAVA_INT, 0);
    consumedByType[type > 0 && type < consumedByType.length ? type : 0]++;
    pending.add(decoded);
  }

  /** The records decoded since the last call, in ring order. */
  List<RawRecord> takeBatch() {
    List<RawRecord> batch = List.copyOf(pending);
    pending.clear();
    return batch;
  }

  /** A copy of the counts by kernel type id; index 0 counts records that did not decode. */
  long[] consumedByType() {
    return consumedByType.clone();
  }
}
