package dev.tracefix.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackpressureTest {
  /** Fixture events are dated January 2026: keep them whatever today is. */
  private static final StoreOptions KEEP_ALL_RETENTION =
      StoreOptions.DEFAULT.withRetention(Retention.KEEP_ALL);

  @TempDir Path tmp;
  private RootAllocator allocator;
  private Path mounted;

  @BeforeEach
  void openAllocator() {
    allocator = new RootAllocator();
  }

  @AfterEach
  void closeAllocatorAndUnmount() throws Exception {
    allocator.close();
    if (mounted != null) {
      new ProcessBuilder("umount", mounted.toString()).inheritIO().start().waitFor();
    }
  }

  @Test
  void aFullQueueDropsWithCountingInsteadOfBlockingCapture() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    SyntheticCapture capture = SyntheticCapture.generate("cap-bp", 10_000, 21);
    try (EventStore store = EventStore.open(tmp.resolve("bp.duckdb"), allocator)) {
      IngestOptions options =
          IngestOptions.DEFAULT
              .withBatchRows(500)
              .withQueueBatches(2)
              .withMaxBatchDelay(Duration.ofHours(1))
              .withOnDurable(
                  ack -> {
                    try {
                      release.await(); // the ingest thread stalls, as on a slow disk
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  });
      try (CaptureWriter writer = store.beginCapture("cap-bp", "node-a", options)) {
        // Returns although the ingest thread is stuck: capture never waits for the sink.
        capture.writeTo(writer, 250);
        long dropped = writer.eventsDropped();
        release.countDown();
        writer.finish(capture.summary());
        System.out.printf("BackpressureTest: 10000 produced, %d dropped while stalled%n", dropped);
        assertTrue(dropped >= 10_000 - 4 * 500, "at most 1 in flight + 2 queued + 1 open batch");
      }
      try (Connection c = store.connect();
          Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT sum(produced), sum(stored), sum(dropped),"
                      + " (SELECT count(*) FROM events) FROM capture_stats"
                      + " WHERE capture_id = 'cap-bp'")) {
        rs.next();
        System.out.printf(
            "BackpressureTest capture_stats: produced %d stored %d dropped %d%n",
            rs.getLong(1), rs.getLong(2), rs.getLong(3));
        assertEquals(10_000, rs.getLong(1));
        assertEquals(rs.getLong(1), rs.getLong(2) + rs.getLong(3));
        assertEquals(rs.getLong(2), rs.getLong(4));
      }
    }
  }

  @Test
  void aFullSpoolDiskIsAClearErrorAndLeavesStoredBatchesIntact() throws Exception {
    assumeTrue(
        "root".equals(System.getProperty("user.name")),
        "needs root to mount a 2 MiB tmpfs as the spool");
    mounted = Files.createDirectories(tmp.resolve("small-disk"));
    int rc =
        new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", mounted.toString())
            .inheritIO()
            .start()
            .waitFor();
    if (rc != 0) {
      mounted = null;
      assumeTrue(false, "mount -t tmpfs failed with " + rc);
    }
    // Leave about 256 KiB free: a small batch fits, a 20k-row batch does not.
    try (RandomAccessFile filler = new RandomAccessFile(mounted.resolve("filler").toFile(), "rw")) {
      filler.write(new byte[2 * 1024 * 1024 - 256 * 1024]);
    } catch (IOException ignored) {
      // Filled to the brim is fine too.
    }
    Path spool = mounted.resolve("spool");
    SyntheticCapture capture = SyntheticCapture.generate("cap-full", 20_300, 22);
    Path db = tmp.resolve("full.duckdb");
    try (EventStore store =
        EventStore.open(db, allocator, KEEP_ALL_RETENTION.withSpoolDir(spool))) {
      CaptureWriter writer =
          store.beginCapture("cap-full", "node-a", IngestOptions.DEFAULT.withBatchRows(20_000));
      capture.processes().forEach(writer::onProcess);
      writer.onEvents(capture.events().subList(0, 300));
      writer.flush();
      writer.onEvents(capture.events().subList(300, 20_300));
      SinkException e = assertThrows(SinkException.class, () -> writer.finish(capture.summary()));
      System.out.println("BackpressureTest full disk: " + e.getMessage());
      assertEquals(SinkException.Kind.RESOURCE, e.kind());
      assertTrue(e.getMessage().contains(spool.toString()), e.getMessage());
      assertTrue(e.getMessage().contains("No space left on device"), e.getMessage());
      writer.close();
    }
    try (Stream<Path> left = Files.list(spool)) {
      assertEquals(0, left.filter(Files::isRegularFile).count(), "no partial segment is left");
    }
    try (EventStore store = EventStore.open(db, allocator, KEEP_ALL_RETENTION.withSpoolDir(spool));
        Connection c = store.connect();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT (SELECT count(*) FROM events), sum(dropped), sum(stored)"
                    + " FROM capture_stats WHERE capture_id = 'cap-full'")) {
      rs.next();
      assertEquals(300, rs.getLong(1), "the batch stored before the disk filled is intact");
      assertEquals(20_000, rs.getLong(2));
      assertEquals(300, rs.getLong(3));
    }
  }
}
