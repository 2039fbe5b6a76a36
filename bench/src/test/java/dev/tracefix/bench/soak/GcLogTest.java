package dev.tracefix.bench.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The soak's reading of a capture's unified GC log, on lines a JDK 25 G1 log holds. */
class GcLogTest {
  @TempDir Path dir;

  @Test
  void heapAfterEachCollectionIsReadWithItsTimeAndUnit() throws Exception {
    Path log = dir.resolve("gc.log");
    Files.writeString(
        log,
        """
        [0.012s][info][gc] Using G1
        [2.500s][info][gc] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 24M->6M(256M) 3.1ms
        [4.000s][info][gc] GC(1) Pause Young (Normal) (G1 Evacuation Pause) 30M->1G(2G) 2.0ms
        [5.000s][info][gc] GC(2) Pause Young (Concurrent Start) 900K->512K(64M) 1.0ms
        [5.100s][info][gc] GC(3) Concurrent Mark Cycle 12.0ms
        [6.000s][info][gc] GC(4) Pause Full (Diagnostic Command) 40M->9M(64M) 20.0ms
        """);
    List<SoakBench.GcPoint> points = SoakBench.gcPoints(log);
    assertEquals(
        List.of(
            new SoakBench.GcPoint(2.5, 6 << 10, false),
            new SoakBench.GcPoint(4.0, 1 << 20, false),
            new SoakBench.GcPoint(5.0, 512, false),
            new SoakBench.GcPoint(6.0, 9 << 10, true)),
        points);
  }

  @Test
  void theTrendIsTheSlopeOverTheSecondHalfOfTheTimeSpan() {
    // Flat at 10 MiB for the first minute, then 1 MiB more every 6 s: 10 MiB/min.
    List<SoakBench.GcPoint> points =
        List.of(
            new SoakBench.GcPoint(0, 10 << 10, false),
            new SoakBench.GcPoint(30, 10 << 10, false),
            new SoakBench.GcPoint(60, 10 << 10, false),
            new SoakBench.GcPoint(66, 11 << 10, false),
            new SoakBench.GcPoint(72, 12 << 10, false),
            new SoakBench.GcPoint(120, 20 << 10, false));
    assertEquals(10 << 10, SoakBench.gcTrendPerMinute(points), 1);
    assertEquals(0, SoakBench.gcTrendPerMinute(points.subList(0, 3)), 1e-9);
  }
}
