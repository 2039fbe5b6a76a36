package dev.tracefix.capture.ffm;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Ring records of any length and content, with a known or unknown type id in the first field:
 * decoding never throws, and each record is counted exactly once — under its type when it became a
 * raw event, under index 0 ("undecodable" in capture_stats) when it did not.
 */
class RingRecordsFuzzTest {
  record Blob(int type, byte[] bytes) {}

  @Property(tries = 1000)
  void anyRecordsDecodeOrAreCountedAsUndecodableAndNothingThrows(
      @ForAll("records") List<Blob> blobs) {
    RingRecords records = new RingRecords();
    try (Arena arena = Arena.ofConfined()) {
      for (Blob b : blobs) {
        MemorySegment segment = arena.allocate(Math.max(1, b.bytes().length), 8);
        MemorySegment record = segment.asSlice(0, b.bytes().length);
        MemorySegment.copy(MemorySegment.ofArray(b.bytes()), 0, record, 0, b.bytes().length);
        if (b.bytes().length >= 4) {
          record.set(JAVA_INT, 0, b.type());
        }
        records.onRecord(record);
      }
    }
    long[] counts = records.consumedByType();
    int decoded = records.takeBatch().size();
    assertEquals(blobs.size(), Arrays.stream(counts).sum(), "every record counted once");
    assertEquals(blobs.size() - counts[0], decoded, "typed counts are the decoded records");
    Statistics.collect(
        counts[0] == 0 ? "all decoded" : counts[0] == blobs.size() ? "none" : "some");
  }

  @Provide
  Arbitrary<List<Blob>> records() {
    Arbitrary<Integer> type =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(
                8, Arbitraries.integers().between(1, NetTraceLayout.EVENT_TYPES - 1)),
            net.jqwik.api.Tuple.of(1, Arbitraries.integers()));
    Arbitrary<byte[]> bytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(400);
    return Combinators.combine(type, bytes).as(Blob::new).list().ofMaxSize(20);
  }
}
