package dev.tracefix.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tracefix.capture.Capture;
import dev.tracefix.capture.CaptureConfig;
import dev.tracefix.capture.CaptureSummary;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A slow disk under a real kernel capture: every spooled segment is held 100 ms after its fsync
 * before the ingest thread may go on (the {@code onDurable} hook), so segments leave the spool far
 * slower than a shell loop of {@code dd} makes events. The capture must not wait for the disk: the
 * writer's small queue fills and whole batches are dropped and counted, the workload runs to its
 * end, and per event type produced = stored + dropped, with stored = the rows in {@code events}.
 */
class SlowSpoolCaptureTest {
  @TempDir Path tmp;

  @Test
  void aSlowSpoolDropsCountedBatchesAndNeverHoldsTheCaptureBack() throws Exception {
    Optional<String> reason = Capture.unavailableReason();
    if ("true".equals(System.getenv("CI"))) {
      assertTrue(reason.isEmpty(), () -> "eBPF capture unavailable in CI: " + reason.get());
    } else {
      assumeTrue(reason.isEmpty(), () -> "eBPF capture unavailable: " + reason.orElse(""));
    }
    IngestOptions slowDisk =
        IngestOptions.DEFAULT
            .withBatchRows(200)
            .withMaxBatchDelay(Duration.ofMillis(20))
            .withQueueBatches(2)
            .withOnDurable(
                ack -> {
                  try {
                    Thread.sleep(100); // the disk: each segment takes this long to get through
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
    String workload =
        "for i in $(seq 30); do dd if=/dev/zero of=/dev/null bs=1 count=500 2>/dev/null;"
            + " sleep 0.05; done";
    CaptureSummary summary;
    long writerDropped;
    try (RootAllocator allocator = new RootAllocator();
        EventStore store = EventStore.open(tmp.resolve("slow.duckdb"), allocator)) {
      try (CaptureWriter writer = store.beginCapture("slow-disk", "node-a", slowDisk)) {
        summary =
            Capture.run(
                new CaptureConfig(
                    Duration.ofSeconds(120),
                    OptionalInt.empty(),
                    List.of("sh", "-c", workload),
                    tmp.resolve("keys")),
                writer);
        writerDropped = writer.eventsDropped();
        writer.finish(summary);
      }
      assertEquals(0, summary.commandExitCode(), "the workload ran to its end");
      try (Connection c = store.connect();
          Statement s = c.createStatement();
          ResultSet r =
              s.executeQuery(
                  "SELECT st.type, st.produced, st.stored, st.dropped,"
                      + " (SELECT count(*) FROM events e WHERE e.type = st.type)"
                      + " FROM capture_stats st WHERE st.type IN (SELECT DISTINCT type FROM"
                      + " events) ORDER BY 1")) {
        long produced = 0;
        long stored = 0;
        long dropped = 0;
        while (r.next()) {
          System.out.printf(
              "SlowSpoolCaptureTest %s: produced %d stored %d dropped %d rows %d%n",
              r.getString(1), r.getLong(2), r.getLong(3), r.getLong(4), r.getLong(5));
          assertEquals(
              r.getLong(2), r.getLong(3) + r.getLong(4), r.getString(1) + ": produced = s + d");
          assertEquals(r.getLong(3), r.getLong(5), r.getString(1) + ": stored = rows");
          produced += r.getLong(2);
          stored += r.getLong(3);
          dropped += r.getLong(4);
        }
        System.out.printf(
            "SlowSpoolCaptureTest: produced %d = stored %d + dropped %d (writer queue %d, kernel"
                + " ring %d)%n",
            produced, stored, dropped, writerDropped, summary.dropCount());
        assertTrue(stored > 0, "batches got through the slow disk");
        assertTrue(writerDropped > 0, "the writer dropped whole batches instead of waiting");
      }
    }
  }
}
