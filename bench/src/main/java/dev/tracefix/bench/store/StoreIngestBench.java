package dev.tracefix.bench.store;

import dev.tracefix.capture.CaptureSummary;
import dev.tracefix.capture.EventType;
import dev.tracefix.capture.SafeEvent;
import dev.tracefix.capture.SafeProcess;
import dev.tracefix.sink.CaptureWriter;
import dev.tracefix.sink.EventStore;
import dev.tracefix.sink.IngestOptions;
import dev.tracefix.sink.arrow.ArrowStreamInsert;
import dev.tracefix.sink.arrow.EventBatch;
import dev.tracefix.sink.schema.EventColumns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.arrow.memory.RootAllocator;
import org.duckdb.DuckDBConnection;

/**
 * Decoded safe events -> committed DuckDB rows through the spool (fsync per segment), against a raw
 * DuckDB Arrow-stream insert of the same rows (prebuilt Arrow batches, no spool) in the same run.
 * Arguments: events (default 3,000,000), work directory.
 */
public final class StoreIngestBench {
  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 3_000_000;
    Path work = Files.createDirectories(Path.of(args.length > 1 ? args[1] : "/tmp/tracefix-bench"));
    List<SafeEvent> events = generate(n);
    int batchRows = 64 * 1024;
    for (int round = 0; round < 2; round++) { // round 0 warms the JIT
      double raw = raw(work.resolve("raw" + round + ".duckdb"), events, batchRows);
      Result pipeline = pipeline(work.resolve("pipe" + round + ".duckdb"), events, batchRows);
      if (round == 1) {
        System.out.printf(
            "ingest %d events: pipeline %.2f M ev/s (stored %d, dropped %d, Arrow peak %.1f MiB),"
                + " raw Arrow-stream insert %.2f M ev/s, ratio %.2fx%n",
            n,
            pipeline.rate / 1e6,
            pipeline.stored,
            pipeline.dropped,
            pipeline.peakBytes / 1048576.0,
            raw / 1e6,
            pipeline.rate / raw);
      }
    }
  }

  record Result(double rate, long stored, long dropped, long peakBytes) {}

  static Result pipeline(Path db, List<SafeEvent> events, int batchRows) {
    Files.exists(db);
    try (RootAllocator allocator = new RootAllocator();
        EventStore store = EventStore.open(db, allocator)) {
      IngestOptions options = IngestOptions.DEFAULT.withBatchRows(batchRows).withQueueBatches(4);
      long start = System.nanoTime();
      CaptureWriter writer = store.beginCapture("bench", "bench-host", options);
      for (int p = 0; p < 8; p++) {
        writer.onProcess(new SafeProcess("tok-" + p, "svc" + p, "b1d", "/svc", "exe", "k"));
      }
      int chunk = 4_096;
      for (int from = 0; from < events.size(); from += chunk) {
        // Paced like a capture that keeps up: never lets the queue overflow, so nothing drops.
        while (writer.batchesInFlight() >= options.queueBatches()) {
          java.util.concurrent.locks.LockSupport.parkNanos(200_000);
        }
        writer.onEvents(events.subList(from, Math.min(events.size(), from + chunk)));
      }
      writer.finish(
          new CaptureSummary(
              "bench", Instant.now(), Instant.now(), List.of(), events.size(), 0, "k", 0));
      double seconds = (System.nanoTime() - start) / 1e9;
      long stored = writer.eventsStored();
      long dropped = writer.eventsDropped();
      writer.close();
      return new Result(stored / seconds, stored, dropped, allocator.getPeakMemoryAllocation());
    }
  }

  static double raw(Path db, List<SafeEvent> events, int batchRows) throws Exception {
    try (RootAllocator allocator = new RootAllocator();
        var connection =
            java.sql.DriverManager.getConnection("jdbc:duckdb:" + db)
                .unwrap(DuckDBConnection.class);
        var s = connection.createStatement()) {
      // The store's events columns, as SafeEvent declares them (the raw path inserts all of them).
      s.execute(
          "CREATE TABLE events(capture_id VARCHAR, "
              + String.join(
                  ", ",
                  EventColumns.all().stream()
                      .map(c -> c.name() + " " + c.kind().sqlType())
                      .toList())
              + ")");
      List<EventBatch> batches = new ArrayList<>();
      for (int from = 0; from < events.size(); from += batchRows) {
        EventBatch batch = new EventBatch(allocator, batchRows);
        events.subList(from, Math.min(events.size(), from + batchRows)).forEach(batch::add);
        batches.add(batch);
      }
      long start = System.nanoTime();
      long rows = 0;
      for (EventBatch batch : batches) {
        rows += ArrowStreamInsert.insertEvents(connection, allocator, "bench", batch);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      batches.forEach(EventBatch::close);
      return rows / seconds;
    }
  }

  static List<SafeEvent> generate(int n) {
    SplittableRandom random = new SplittableRandom(42);
    String[] tokens = new String[8];
    String[] peers = new String[64];
    for (int i = 0; i < tokens.length; i++) {
      tokens[i] = "tok-" + i;
    }
    for (int i = 0; i < peers.length; i++) {
      peers[i] = "peer-" + Integer.toHexString(i * 2654435761L > 0 ? i * 7919 : i);
    }
    List<SafeEvent> events = new ArrayList<>(n);
    long t = 1_767_225_600_000_000_000L;
    for (int i = 0; i < n; i++) {
      boolean retransmit = random.nextInt(20) == 0;
      int errno = random.nextInt(50) == 0 ? 104 : 0;
      t += random.nextInt(2_000);
      EventType type = retransmit ? EventType.TCP_RETRANSMIT : EventType.SENDTO;
      // Random draws in the order the fields are set: the same seed, the same events.
      events.add(
          SafeEvent.builder(t, type, tokens[random.nextInt(tokens.length)], "k")
              .durationNs(retransmit ? 0 : 1_000 + random.nextInt(500_000))
              .bytes(errno == 0 && !retransmit ? random.nextInt(65_536) : 0)
              .errno(retransmit ? 0 : errno)
              .peerHash(peers[random.nextInt(peers.length)])
              .build());
    }
    return events;
  }

  private StoreIngestBench() {}
}
