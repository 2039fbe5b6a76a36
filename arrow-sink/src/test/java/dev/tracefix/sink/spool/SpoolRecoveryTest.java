package dev.tracefix.sink.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracefix.capture.EventType;
import dev.tracefix.capture.SafeEvent;
import dev.tracefix.sink.EventStore;
import dev.tracefix.sink.arrow.EventBatch;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolRecoveryTest {
  /** Fixture events are dated January 2026: keep them whatever today is. */
  private static final dev.tracefix.sink.StoreOptions KEEP_ALL_RETENTION =
      dev.tracefix.sink.StoreOptions.DEFAULT.withRetention(dev.tracefix.sink.Retention.KEEP_ALL);

  @TempDir Path tmp;
  private RootAllocator allocator;

  @BeforeEach
  void openAllocator() {
    allocator = new RootAllocator();
  }

  @AfterEach
  void closeAllocatorRevealingLeaks() {
    allocator.close();
  }

  @Test
  void quarantinesTruncatedAndCorruptSegmentsNamingThemAndIngestsTheRest() throws Exception {
    Path db = tmp.resolve("store.duckdb");
    Path spool = EventStore.defaultSpoolDir(db);
    Files.createDirectories(spool);
    Path good1 = segment(allocator, spool, 0, 100, 0);
    Path truncated = segment(allocator, spool, 1, 200, 1_000);
    Path good2 = segment(allocator, spool, 2, 300, 2_000);
    Path corrupt = segment(allocator, spool, 3, 400, 3_000);
    Path good3 = segment(allocator, spool, 4, 500, 4_000);
    Path unfinished = spool.resolve("cap-r~000000000005.events.arrows.partial");
    Files.write(unfinished, new byte[] {1, 2, 3});
    try (RandomAccessFile f = new RandomAccessFile(truncated.toFile(), "rw")) {
      f.setLength(f.length() / 2);
    }
    try (RandomAccessFile f = new RandomAccessFile(corrupt.toFile(), "rw")) {
      f.seek(f.length() / 2);
      int b = f.read();
      f.seek(f.length() / 2);
      f.write(b ^ 0x5a); // one flipped byte inside the Arrow data
    }

    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream original = System.err;
    RecoveryReport report;
    System.setErr(new PrintStream(err, true));
    try (EventStore store = EventStore.open(db, allocator, KEEP_ALL_RETENTION);
        Connection c = store.connect();
        Statement s = c.createStatement()) {
      report = store.recovery();
      try (ResultSet rs = s.executeQuery("SELECT count(*), count(DISTINCT time) FROM events")) {
        rs.next();
        assertEquals(100 + 300 + 500, rs.getLong(1));
        assertEquals(rs.getLong(1), rs.getLong(2));
      }
    } finally {
      System.setErr(original);
    }
    String messages = err.toString();
    System.out.print("SpoolRecoveryTest messages:\n" + messages);
    System.out.println("SpoolRecoveryTest report: " + report);
    assertEquals(3, report.ingested());
    assertEquals(900, report.rows());
    assertEquals(3, report.quarantined().size());
    for (Path bad : List.of(truncated, corrupt, unfinished)) {
      assertTrue(messages.contains(bad.toString()), "message names " + bad + ":\n" + messages);
      assertFalse(Files.exists(bad));
      assertTrue(Files.exists(spool.resolve("quarantine").resolve(bad.getFileName())));
    }
    assertTrue(messages.contains("truncated"), messages);
    assertTrue(messages.contains("CRC32C"), messages);
    for (Path ok : List.of(good1, good2, good3)) {
      assertFalse(Files.exists(ok), "ingested segments are removed: " + ok);
    }
  }

  @Test
  void segmentsAreBornOwnerOnlyAndTheSpoolFolderIsTightened() throws Exception {
    Path spool = Files.createDirectories(tmp.resolve("wide.spool"));
    Files.setPosixFilePermissions(
        spool, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    new Spool(spool);
    Path segment = segment(allocator, spool, 0, 10, 0);
    assertEquals(
        "rwx------",
        java.nio.file.attribute.PosixFilePermissions.toString(
            Files.getPosixFilePermissions(spool)));
    assertEquals(
        "rw-------",
        java.nio.file.attribute.PosixFilePermissions.toString(
            Files.getPosixFilePermissions(segment)));
  }

  @Test
  void aSegmentWhoseIdIsRecordedIsDeletedNotInsertedAgain() throws Exception {
    Path db = tmp.resolve("store.duckdb");
    Path spool = EventStore.defaultSpoolDir(db);
    Files.createDirectories(spool);
    Path first = segment(allocator, spool, 0, 250, 0);
    byte[] copy = Files.readAllBytes(first);
    try (EventStore store = EventStore.open(db, allocator, KEEP_ALL_RETENTION)) {
      assertEquals(1, store.recovery().ingested());
    }
    // The crash came after the commit but before the delete: the file is back, its id recorded.
    Files.write(first, copy);
    try (EventStore store = EventStore.open(db, allocator, KEEP_ALL_RETENTION);
        Connection c = store.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM events")) {
      assertEquals(1, store.recovery().alreadyStored());
      assertEquals(0, store.recovery().ingested());
      rs.next();
      assertEquals(250, rs.getLong(1));
      assertFalse(Files.exists(first));
    }
  }

  @Test
  void aSegmentWrittenBeforeSchemaVersionFourIngestsWithTheNewColumnsNull() throws Exception {
    Path db = tmp.resolve("store.duckdb");
    Path spool = EventStore.defaultSpoolDir(db);
    Files.createDirectories(spool);
    Path old = v3Segment(spool, 0, 120, 0);
    Path current = segment(allocator, spool, 1, 80, 1_000);
    try (EventStore store = EventStore.open(db, allocator, KEEP_ALL_RETENTION);
        Connection c = store.connect();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT count(*), count(fd), count(syscall), count(exit_status), sum(fd),"
                    + " count(*) FILTER (WHERE duration_ns = 5000 AND peer_hash = 'peer')"
                    + " FROM events")) {
      assertEquals(2, store.recovery().ingested());
      assertEquals(0, store.recovery().quarantined().size());
      rs.next();
      assertEquals(200, rs.getLong(1));
      assertEquals(80, rs.getLong(2), "only the current segment has an fd");
      assertEquals(80, rs.getLong(3));
      assertEquals(80, rs.getLong(4));
      assertEquals(80 * 7, rs.getLong(5));
      assertEquals(200, rs.getLong(6), "the columns both layouts share arrive intact");
    }
    assertFalse(Files.exists(old));
    assertFalse(Files.exists(current));
  }

  @Test
  void aSegmentWrittenBySchemaVersionFourIngestsWithTheUprobeColumnsNull() throws Exception {
    Path db = tmp.resolve("store.duckdb");
    Path spool = EventStore.defaultSpoolDir(db);
    Files.createDirectories(spool);
    Path old = v4Segment(spool, 0, 90, 0);
    Path current = uprobeSegment(spool, 1, 60, 1_000);
    try (EventStore store = EventStore.open(db, allocator, KEEP_ALL_RETENTION);
        Connection c = store.connect();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT count(*), count(symbol), count(binary_hash),"
                    + " sum(fd) FILTER (WHERE symbol IS NULL),"
                    + " count(*) FILTER (WHERE symbol = 'SSL_write' AND binary_hash = 'e_bin')"
                    + " FROM events")) {
      assertEquals(2, store.recovery().ingested());
      assertEquals(0, store.recovery().quarantined().size());
      rs.next();
      assertEquals(150, rs.getLong(1));
      assertEquals(60, rs.getLong(2), "only the current segment has a symbol");
      assertEquals(60, rs.getLong(3));
      assertEquals(90 * 7, rs.getLong(4), "the v4 columns of the older segment arrive intact");
      assertEquals(60, rs.getLong(5));
    }
    assertFalse(Files.exists(old));
    assertFalse(Files.exists(current));
  }

  /** A segment as schema version 4 wrote it: the event columns before the uprobe ones. */
  private Path v4Segment(Path spool, long seq, int rows, long offset) throws Exception {
    try (EventBatch batch = new EventBatch(allocator, rows)) {
      for (int i = 0; i < rows; i++) {
        batch.add(sendtoSyscall(1_767_225_600_000_000_000L + (offset + i) * 1_000));
      }
      VectorSchemaRoot all = batch.sealed();
      VectorSchemaRoot v4 =
          new VectorSchemaRoot(
              OlderSegments.fields(4),
              all.getFieldVectors().subList(0, OlderSegments.fields(4).size()),
              all.getRowCount());
      assertEquals(20, v4.getSchema().getFields().size());
      return SegmentFile.write(
          spool, new SegmentName("cap-r", seq, SegmentTable.EVENTS), "node-r", v4);
    }
  }

  private Path uprobeSegment(Path spool, long seq, int rows, long offset) throws Exception {
    try (EventBatch batch = new EventBatch(allocator, rows)) {
      for (int i = 0; i < rows; i++) {
        batch.add(
            SafeEvent.builder(
                    1_767_225_600_000_000_000L + (offset + i) * 1_000, EventType.UPROBE, "tok", "k")
                .durationNs(3_000)
                .symbol("SSL_write")
                .binaryHash("e_bin")
                .build());
      }
      return SegmentFile.write(
          spool, new SegmentName("cap-r", seq, SegmentTable.EVENTS), "node-r", batch.sealed());
    }
  }

  /** A segment as schema version 3 wrote it: only the first nine event columns. */
  private Path v3Segment(Path spool, long seq, int rows, long offset) throws Exception {
    try (EventBatch batch = new EventBatch(allocator, rows)) {
      for (int i = 0; i < rows; i++) {
        batch.add(
            SafeEvent.builder(
                    1_767_225_600_000_000_000L + (offset + i) * 1_000, EventType.SENDTO, "tok", "k")
                .durationNs(5_000)
                .bytes(100)
                .peerHash("peer")
                .build());
      }
      VectorSchemaRoot all = batch.sealed();
      VectorSchemaRoot v3 =
          new VectorSchemaRoot(
              OlderSegments.fields(3),
              all.getFieldVectors().subList(0, OlderSegments.fields(3).size()),
              all.getRowCount());
      assertEquals(9, v3.getSchema().getFields().size());
      return SegmentFile.write(
          spool, new SegmentName("cap-r", seq, SegmentTable.EVENTS), "node-r", v3);
    }
  }

  private static SafeEvent sendtoSyscall(long timeNs) {
    return SafeEvent.builder(timeNs, EventType.SYSCALL, "tok", "k")
        .durationNs(5_000)
        .bytes(100)
        .peerHash("peer")
        .syscall("sendto")
        .fd(7)
        .build();
  }

  /**
   * Writes segment {@code seq} of capture {@code cap-r}: {@code rows} events 1 µs apart, the first
   * {@code offset} µs after the fixture's start (so segments written with distinct offsets never
   * share a time).
   */
  static Path segment(BufferAllocator allocator, Path spool, long seq, int rows, long offset)
      throws IOException {
    try (EventBatch batch = new EventBatch(allocator, rows)) {
      for (int i = 0; i < rows; i++) {
        batch.add(sendtoSyscall(1_767_225_600_000_000_000L + (offset + i) * 1_000));
      }
      return SegmentFile.write(
          spool, new SegmentName("cap-r", seq, SegmentTable.EVENTS), "node-r", batch.sealed());
    }
  }
}
