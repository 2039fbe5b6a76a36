package dev.tracefix.sink;

import static dev.tracefix.sink.EventStoreTest.single;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventStoreParquetTest {
  /** Order-independent fingerprint of every stored event column. */
  private static final String EVENT_CHECKSUM =
      "SELECT count(*), sum(duration_ns), sum(bytes),"
          + " bit_xor(hash(capture_id, time, type, process_token, duration_ns, bytes, errno,"
          + " errno_name, peer_hash, key_id)),"
          + " count(syscall), count(connection_hash), sum(local_port), sum(exit_status),"
          + " bit_xor(hash(syscall, fd, connection_hash, tcp_old_state, tcp_new_state, family,"
          + " protocol, local_port, remote_port, local_hash, exit_status)),"
          + " count(symbol), count(binary_hash), bit_xor(hash(symbol, binary_hash)) FROM ";

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
  void exportsHivePartitionedParquetThatReadsBackIdentical() throws Exception {
    Path exportDir = tmp.resolve("export");
    try (EventStore store = storeWithTwoCaptures(tmp.resolve("source.duckdb"))) {
      long written = store.exportParquet(exportDir, TestKeys.KEY).rows();
      System.out.printf("exportParquet wrote %d rows to %s%n", written, exportDir);
      try (Connection c = store.connect();
          Statement s = c.createStatement()) {
        long sourceRows =
            (Long)
                single(
                    s,
                    "SELECT (SELECT count(*) FROM events) + (SELECT count(*) FROM processes)"
                        + " + (SELECT count(*) FROM captures) + (SELECT count(*) FROM capture_stats)"
                        + " + (SELECT count(*) FROM stacks)");
        assertEquals(sourceRows, written);

        String exported =
            "read_parquet('" + exportDir + "/events/**/*.parquet', hive_partitioning = true)";
        List<Object> source = row(s, EVENT_CHECKSUM + "events");
        List<Object> fromParquet = row(s, EVENT_CHECKSUM + exported);
        System.out.println("events checksum source=" + source + " parquet=" + fromParquet);
        assertEquals(source, fromParquet);

        // Partition columns come back from the directory names and agree with the rows.
        assertEquals(
            0L,
            single(
                s,
                "SELECT count(*) FROM "
                    + exported
                    + " WHERE capture <> capture_id OR date <> CAST(time AS DATE)"
                    + " OR host NOT IN ('node-a', 'node-b')"));
        assertEquals(
            2L,
            single(
                s,
                "SELECT count(DISTINCT capture) FROM read_parquet('"
                    + exportDir
                    + "/captures/**/*.parquet', hive_partitioning = true)"));
      }
    }
    assertTrue(
        Files.isDirectory(exportDir.resolve("events/date=2026-01-01/host=node-a/capture=cap-a")),
        () -> listing(exportDir));
    assertTrue(Files.isDirectory(exportDir.resolve("processes/capture=cap-b")));
    assertTrue(Files.isDirectory(exportDir.resolve("captures/capture=cap-a")));
  }

  /** Comparable in SQL and in Java: counts and sums over every events column kind. */
  private static final String PORTABLE_CHECKSUM =
      "SELECT count(*), sum(duration_ns), sum(bytes), sum(errno), count(peer_hash),"
          + " sum(length(process_token)), sum(epoch_ns(time) % 1000000007),"
          + " sum(length(errno_name)), sum(fd), sum(family + protocol), sum(local_port),"
          + " sum(remote_port), sum(exit_status), count(syscall), count(connection_hash),"
          + " count(local_hash), sum(length(syscall)), sum(length(tcp_old_state)),"
          + " sum(length(tcp_new_state)), count(symbol), sum(length(symbol)),"
          + " count(binary_hash), sum(length(binary_hash)) FROM ";

  @Test
  void parquetReadsBackToTheSameRowsInDuckDbAndInArrowsParquetReader() throws Exception {
    Path exportDir = tmp.resolve("export");
    try (EventStore store = storeWithTwoCaptures(tmp.resolve("source.duckdb"))) {
      store.exportParquet(exportDir, TestKeys.KEY);
      try (Connection c = store.connect();
          Statement s = c.createStatement()) {
        String parquet =
            "read_parquet('" + exportDir + "/events/**/*.parquet', hive_partitioning = true)";
        List<Object> source = row(s, PORTABLE_CHECKSUM + "events");
        List<Object> duckdb = row(s, PORTABLE_CHECKSUM + parquet);
        List<Object> arrow = ArrowParquet.checksum(exportDir.resolve("events"), allocator);
        System.out.println(
            "Parquet checksums (rows, sum duration, sum bytes, sum errno, peers, token chars,"
                + " time mod p, errno chars, then the v4 and v5 columns): source="
                + source
                + " duckdb-parquet="
                + duckdb
                + " arrow-dataset-parquet="
                + arrow);
        assertEquals(source, duckdb);
        assertEquals(source, arrow);
      }
    }
  }

  @Test
  void importIntoAFreshStoreGivesTheSameRowsAndIsIdempotent() throws SQLException {
    Path exportDir = tmp.resolve("export");
    List<Object> sourceEvents;
    List<Object> sourceOthers;
    try (EventStore store = storeWithTwoCaptures(tmp.resolve("source.duckdb"))) {
      store.exportParquet(exportDir, TestKeys.KEY);
      try (Connection c = store.connect();
          Statement s = c.createStatement()) {
        sourceEvents = row(s, EVENT_CHECKSUM + "events");
        sourceOthers = row(s, OTHERS_CHECKSUM);
        assertTrue(
            (Long)
                    single(
                        s,
                        "SELECT count(*) FROM events WHERE type = 'uprobe'"
                            + " AND symbol IS NOT NULL AND binary_hash IS NOT NULL")
                > 0,
            "the round trip covers the uprobe columns");
      }
    }
    try (EventStore fresh = EventStore.open(tmp.resolve("fresh.duckdb"), allocator)) {
      long first = fresh.importParquet(exportDir);
      long second = fresh.importParquet(exportDir);
      System.out.printf("importParquet: first %d rows, second %d rows%n", first, second);
      assertEquals(0, second, "a second import adds nothing");
      try (Connection c = fresh.connect();
          Statement s = c.createStatement()) {
        assertEquals(sourceEvents, row(s, EVENT_CHECKSUM + "events"));
        assertEquals(sourceOthers, row(s, OTHERS_CHECKSUM));
        long total =
            (Long)
                single(
                    s,
                    "SELECT (SELECT count(*) FROM events) + (SELECT count(*) FROM processes)"
                        + " + (SELECT count(*) FROM captures) + (SELECT count(*) FROM capture_stats)"
                        + " + (SELECT count(*) FROM stacks)");
        assertEquals(total, first);
      }
    }
  }

  @Test
  void importSkipsCapturesTheStoreAlreadyHoldsButAddsNewOnes() throws SQLException {
    Path exportDir = tmp.resolve("export");
    try (EventStore store = storeWithTwoCaptures(tmp.resolve("source.duckdb"))) {
      store.exportParquet(exportDir, TestKeys.KEY);
    }
    try (EventStore target = EventStore.open(tmp.resolve("target.duckdb"), allocator)) {
      SyntheticCapture a = SyntheticCapture.generate("cap-a", 100, 99);
      try (CaptureWriter writer = target.beginCapture("cap-a", "node-z")) {
        a.writeTo(writer, 100);
        writer.finish(a.summary());
      }
      target.importParquet(exportDir);
      try (Connection c = target.connect();
          Statement s = c.createStatement()) {
        assertEquals(100L, single(s, "SELECT count(*) FROM events WHERE capture_id = 'cap-a'"));
        assertEquals(30_000L, single(s, "SELECT count(*) FROM events WHERE capture_id = 'cap-b'"));
        assertEquals("node-z", single(s, "SELECT host FROM captures WHERE capture_id = 'cap-a'"));
      }
    }
  }

  @Test
  void importsTheRecordedExampleWrittenBeforeSchemaVersionFourWithTheNewColumnsNull()
      throws SQLException {
    Path example = Path.of("..", "examples", "recorded-capture");
    try (EventStore fresh = EventStore.open(tmp.resolve("fresh.duckdb"), allocator, keepAll());
        Connection c = fresh.connect();
        Statement s = c.createStatement()) {
      long rows = fresh.importParquet(example);
      String files =
          "read_parquet('" + example + "/events/**/*.parquet', hive_partitioning = true)";
      long inFiles = (Long) single(s, "SELECT count(*) FROM " + files);
      long events = (Long) single(s, "SELECT count(*) FROM events");
      System.out.printf(
          "recorded example: imported %d rows, %d events (files hold %d)%n", rows, events, inFiles);
      assertTrue(events > 0);
      assertEquals(inFiles, events);
      assertEquals(
          0L,
          single(
              s,
              "SELECT count(*) FROM events WHERE syscall IS NOT NULL OR fd IS NOT NULL"
                  + " OR connection_hash IS NOT NULL OR exit_status IS NOT NULL"
                  + " OR symbol IS NOT NULL OR binary_hash IS NOT NULL"));
      assertEquals(
          single(s, "SELECT count(*) FROM events WHERE type IN ('sendto', 'socket_write')"),
          single(s, "SELECT count(*) FROM syscalls"),
          "older rows still answer in the syscalls view");
    }
  }

  private static StoreOptions keepAll() {
    return StoreOptions.DEFAULT.withRetention(Retention.KEEP_ALL);
  }

  @Test
  void refusesToExportIntoANonEmptyDirectory() throws IOException {
    Path exportDir = Files.createDirectories(tmp.resolve("export"));
    Files.writeString(exportDir.resolve("keep.txt"), "mine");
    try (EventStore store = EventStore.open(tmp.resolve("s.duckdb"), allocator)) {
      SinkException e =
          assertThrows(SinkException.class, () -> store.exportParquet(exportDir, TestKeys.KEY));
      assertEquals(SinkException.Kind.USER, e.kind());
      assertTrue(e.getMessage().contains(exportDir.toString()), e.getMessage());
    }
  }

  @Test
  void explainsWhatIsMissingWhenTheDirectoryIsNotAnExport() throws IOException {
    Path notAnExport = Files.createDirectories(tmp.resolve("random"));
    try (EventStore store = EventStore.open(tmp.resolve("s.duckdb"), allocator)) {
      SinkException e = assertThrows(SinkException.class, () -> store.importParquet(notAnExport));
      assertEquals(SinkException.Kind.USER, e.kind());
      assertTrue(e.getMessage().contains(notAnExport.resolve("captures").toString()));
    }
  }

  @Test
  void aCorruptParquetFileFailsTheWholeImportNamingTheFile() throws Exception {
    Path exportDir = tmp.resolve("export");
    try (EventStore store = storeWithTwoCaptures(tmp.resolve("source.duckdb"))) {
      store.exportParquet(exportDir, TestKeys.KEY);
    }
    Path victim;
    try (Stream<Path> files = Files.walk(exportDir.resolve("events"))) {
      victim = files.filter(f -> f.toString().endsWith(".parquet")).findFirst().orElseThrow();
    }
    Files.write(victim, new byte[] {'n', 'o', 't', ' ', 'p', 'a', 'r', 'q', 'u', 'e', 't'});
    try (EventStore fresh = EventStore.open(tmp.resolve("fresh.duckdb"), allocator)) {
      SinkException e = assertThrows(SinkException.class, () -> fresh.importParquet(exportDir));
      assertEquals(SinkException.Kind.DATA, e.kind());
      System.out.println("corrupt import: " + e.getMessage());
      assertTrue(e.getMessage().contains(victim.getFileName().toString()), e.getMessage());
      try (Connection c = fresh.connect();
          Statement s = c.createStatement()) {
        assertEquals(0L, single(s, "SELECT count(*) FROM captures"), "nothing half-imported");
      }
    }
  }

  private static final String OTHERS_CHECKSUM =
      "SELECT (SELECT bit_xor(hash(capture_id, token, comm, build_id, cgroup, exe_hash, key_id))"
          + " FROM processes), (SELECT bit_xor(hash(capture_id, host, started_at, ended_at,"
          + " probes, event_count, drop_count, key_id, command_exit_code)) FROM captures),"
          + " (SELECT count(*) FROM processes), (SELECT count(*) FROM captures)";

  private EventStore storeWithTwoCaptures(Path db) {
    EventStore store = EventStore.open(db, allocator);
    SyntheticCapture a = SyntheticCapture.generate("cap-a", 50_000, 11);
    SyntheticCapture b = SyntheticCapture.generate("cap-b", 30_000, 12);
    try (CaptureWriter writer = store.beginCapture("cap-a", "node-a")) {
      a.writeTo(writer, 4_096);
      writer.finish(a.summary());
    }
    try (CaptureWriter writer = store.beginCapture("cap-b", "node-b")) {
      b.writeTo(writer, 4_096);
      writer.finish(b.summary());
    }
    return store;
  }

  private static List<Object> row(Statement s, String sql) throws SQLException {
    try (var rs = s.executeQuery(sql)) {
      assertTrue(rs.next(), sql);
      List<Object> values = new java.util.ArrayList<>();
      for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
        values.add(String.valueOf(rs.getObject(i)));
      }
      return values;
    }
  }

  private static String listing(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      return String.join("\n", files.map(Path::toString).toList());
    } catch (IOException e) {
      return e.toString();
    }
  }
}
