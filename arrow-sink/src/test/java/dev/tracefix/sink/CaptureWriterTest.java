package dev.tracefix.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracefix.capture.Capture;
import dev.tracefix.capture.CaptureSummary;
import dev.tracefix.capture.SafeEvent;
import dev.tracefix.capture.TypeStats;
import dev.tracefix.sink.errno.ErrnoNames;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaptureWriterTest {
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
  void storesEveryEventExactlyAsWrittenAcrossSeveralBatches() throws SQLException {
    int n = 150_000;
    SyntheticCapture capture = SyntheticCapture.generate("cap-1", n, 1);
    long started;
    long elapsed;
    try (EventStore store = EventStore.open(tmp.resolve("events.duckdb"), allocator)) {
      try (CaptureWriter writer = store.beginCapture("cap-1", "node-a", 64 * 1024)) {
        started = System.nanoTime();
        capture.writeTo(writer, 4_096);
        writer.finish(capture.summary());
        elapsed = System.nanoTime() - started;
        assertEquals(n, writer.eventsStored());
        assertEquals(3, writer.batchesStored(), "64k + 64k + the rest, flushed on finish");
      }
      System.out.printf(
          "CaptureWriter stored %d events in %.1f ms (%.2f M rows/s)%n",
          n, elapsed / 1e6, n / (elapsed / 1e9) / 1e6);

      try (Connection c = store.connect();
          Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT capture_id, epoch_ns(time), type, process_token, duration_ns, bytes,"
                      + " errno, errno_name, peer_hash, key_id, syscall, fd, connection_hash,"
                      + " tcp_old_state, tcp_new_state, family, protocol, local_port, remote_port,"
                      + " local_hash, exit_status, symbol, binary_hash FROM events ORDER BY time")) {
        int i = 0;
        while (rs.next()) {
          SafeEvent e = capture.events().get(i);
          String at = "row " + i;
          assertEquals("cap-1", rs.getString(1), at);
          assertEquals(e.timeNs(), rs.getLong(2), at);
          assertEquals(e.type().columnValue(), rs.getString(3), at);
          assertEquals(e.processToken(), rs.getString(4), at);
          assertEquals(e.durationNs(), rs.getLong(5), at);
          assertEquals(e.bytes(), rs.getLong(6), at);
          assertEquals(e.errno(), rs.getInt(7), at);
          assertEquals(ErrnoNames.nameOf(e.errno()), rs.getString(8), at);
          assertEquals(e.peerHash(), rs.getString(9), at);
          assertEquals(e.keyId(), rs.getString(10), at);
          assertEquals(e.syscall(), rs.getString(11), at);
          assertEquals(e.fd(), rs.getInt(12), at);
          assertEquals(e.connectionHash(), rs.getString(13), at);
          assertEquals(e.tcpOldState(), rs.getString(14), at);
          assertEquals(e.tcpNewState(), rs.getString(15), at);
          assertEquals(e.family(), rs.getInt(16), at);
          assertEquals(e.protocol(), rs.getInt(17), at);
          assertEquals(e.localPort(), rs.getInt(18), at);
          assertEquals(e.remotePort(), rs.getInt(19), at);
          assertEquals(e.localHash(), rs.getString(20), at);
          assertEquals(e.exitStatus(), rs.getInt(21), at);
          assertEquals(e.symbol(), rs.getString(22), at);
          assertEquals(e.binaryHash(), rs.getString(23), at);
          i++;
        }
        assertEquals(n, i);
      }
    }
  }

  @Test
  void namesErrnosSymbolicallyAndLeavesSuccessNull() throws SQLException {
    SyntheticCapture capture = SyntheticCapture.generate("cap-errno", 20_000, 2);
    Map<String, Long> expected =
        capture.events().stream()
            .collect(
                Collectors.groupingBy(
                    e -> String.valueOf(ErrnoNames.nameOf(e.errno())),
                    TreeMap::new,
                    Collectors.counting()));
    try (EventStore store = EventStore.open(tmp.resolve("events.duckdb"), allocator);
        CaptureWriter writer = store.beginCapture("cap-errno", "node-a")) {
      capture.writeTo(writer, 1_000);
      writer.finish(capture.summary());
      Map<String, Long> stored = new TreeMap<>();
      try (Connection c = store.connect();
          Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery("SELECT errno_name, count(*) FROM events GROUP BY errno_name")) {
        while (rs.next()) {
          stored.put(String.valueOf(rs.getString(1)), rs.getLong(2));
        }
      }
      assertEquals(expected, stored);
      assertTrue(stored.containsKey("EPIPE") && stored.containsKey("ECONNRESET"), stored::toString);
      assertTrue(stored.containsKey("E300"), "an errno outside the table keeps its number");
    }
  }

  @Test
  void recordsTheCaptureSummaryAndEveryProcess() throws SQLException {
    SyntheticCapture capture = SyntheticCapture.generate("cap-sum", 1_000, 3);
    try (EventStore store = EventStore.open(tmp.resolve("events.duckdb"), allocator)) {
      try (CaptureWriter writer = store.beginCapture("cap-sum", "node-b")) {
        writer.recordProvenance(
            new CaptureProvenance(
                "sess-1", "pol-abc", "policies/strict.yaml", List.of("k-2026-01"), "att-xyz"));
        capture.writeTo(writer, 100);
        writer.finish(capture.summary());
      }
      try (Connection c = store.connect();
          Statement s = c.createStatement()) {
        try (ResultSet rs =
            s.executeQuery(
                "SELECT host, epoch_ns(started_at), epoch_ns(ended_at), probes, event_count,"
                    + " drop_count, key_id, command_exit_code FROM captures"
                    + " WHERE capture_id = 'cap-sum'")) {
          assertTrue(rs.next());
          var summary = capture.summary();
          assertEquals("node-b", rs.getString(1));
          // TIMESTAMP keeps microseconds.
          assertEquals(micros(summary.startedAt()), rs.getLong(2) / 1_000);
          assertEquals(micros(summary.endedAt()), rs.getLong(3) / 1_000);
          Object[] probes = (Object[]) rs.getArray(4).getArray();
          assertEquals(summary.probes(), List.of(probes));
          assertEquals(1_000, rs.getLong(5));
          assertEquals(0, rs.getLong(6));
          assertEquals(SyntheticCapture.KEY_ID, rs.getString(7));
          assertEquals(0, rs.getInt(8));
        }
        try (ResultSet rs =
            s.executeQuery(
                "SELECT session_id, policy_hash, key_ids[1], attestation, kernel IS NOT NULL,"
                    + " (SELECT sum(produced) FROM capture_stats WHERE capture_id = 'cap-sum'),"
                    + " (SELECT sum(stored) FROM capture_stats WHERE capture_id = 'cap-sum'),"
                    + " (SELECT sum(dropped) FROM capture_stats WHERE capture_id = 'cap-sum'),"
                    + " policy_source FROM captures WHERE capture_id = 'cap-sum'")) {
          assertTrue(rs.next());
          assertEquals("sess-1", rs.getString(1));
          assertEquals("pol-abc", rs.getString(2));
          assertEquals("k-2026-01", rs.getString(3));
          assertEquals("att-xyz", rs.getString(4));
          assertTrue(rs.getBoolean(5));
          assertEquals(1_000, rs.getLong(6));
          assertEquals(1_000, rs.getLong(7));
          assertEquals(0, rs.getLong(8));
          assertEquals("policies/strict.yaml", rs.getString(9));
        }
        try (ResultSet rs =
            s.executeQuery(
                "SELECT count(*), count(DISTINCT token), count(build_id) FROM processes")) {
          rs.next();
          assertEquals(5, rs.getLong(1));
          assertEquals(5, rs.getLong(2));
          assertEquals(3, rs.getLong(3), "processes without a build id keep NULL");
        }
        try (ResultSet rs =
            s.executeQuery("SELECT count(*) FROM sendto_calls WHERE comm = 'workload'")) {
          rs.next();
          long expected =
              capture.events().stream()
                  .filter(e -> e.type().columnValue().equals("sendto"))
                  .filter(e -> e.processToken().endsWith("-0"))
                  .count();
          assertEquals(expected, rs.getLong(1));
        }
      }
    }
  }

  @Test
  void closingWithoutFinishStoresBufferedEventsAndLeavesTheCaptureOpen() throws SQLException {
    SyntheticCapture capture = SyntheticCapture.generate("cap-crash", 5_000, 4);
    try (EventStore store = EventStore.open(tmp.resolve("events.duckdb"), allocator)) {
      try (CaptureWriter writer = store.beginCapture("cap-crash", "node-a")) {
        capture.writeTo(writer, 500);
      }
      try (Connection c = store.connect();
          Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT (SELECT count(*) FROM events), ended_at FROM captures"
                      + " WHERE capture_id = 'cap-crash'")) {
        assertTrue(rs.next());
        assertEquals(5_000, rs.getLong(1));
        assertNull(rs.getObject(2), "an unfinished capture has no end");
      }
    }
  }

  @Test
  void recordsTheSummaryUnderTheWritersCaptureIdAndOnlyOnce() throws SQLException {
    SyntheticCapture other = SyntheticCapture.generate("id-chosen-by-capture", 10, 5);
    try (EventStore store = EventStore.open(tmp.resolve("events.duckdb"), allocator);
        CaptureWriter writer = store.beginCapture("cap-mine", "node-a")) {
      other.writeTo(writer, 10);
      writer.finish(other.summary());
      SinkException e = assertThrows(SinkException.class, () -> writer.finish(other.summary()));
      assertEquals(SinkException.Kind.USER, e.kind());
      try (Connection c = store.connect();
          Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT capture_id, event_count, (SELECT count(*) FROM events"
                      + " WHERE capture_id = 'cap-mine') FROM captures")) {
        assertTrue(rs.next());
        assertEquals("cap-mine", rs.getString(1));
        assertEquals(10, rs.getLong(2));
        assertEquals(10, rs.getLong(3));
      }
    }
  }

  @Test
  void callsTheAggregateMapCouldNotTakeAreNamedInTheLossNotCountedAsEvents() throws SQLException {
    SyntheticCapture capture = SyntheticCapture.generate("cap-overflow", 1_000, 7);
    var s0 = capture.summary();
    CaptureSummary summary =
        new CaptureSummary(
            s0.captureId(),
            s0.startedAt(),
            s0.endedAt(),
            s0.probes(),
            s0.eventCount(),
            0,
            s0.keyId(),
            s0.commandExitCode(),
            List.of(new TypeStats(Capture.AGGREGATES, 1_000, 900, 100)));
    try (EventStore store = EventStore.open(tmp.resolve("events.duckdb"), allocator)) {
      try (CaptureWriter writer = store.beginCapture("cap-overflow", "node-a")) {
        capture.writeTo(writer, 500);
        writer.finish(summary);
      }
      try (Connection c = store.connect();
          Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT drop_count, loss, event_count,"
                      + " (SELECT [produced, stored, dropped] FROM capture_stats"
                      + "  WHERE type = 'syscall_stats') FROM captures")) {
        assertTrue(rs.next());
        System.out.println("CaptureWriterTest aggregate overflow: " + rs.getString(2));
        assertEquals(0, rs.getLong(1), "no event was lost");
        assertEquals(
            "100 system calls seen but not counted in syscall_stats (the kernel's aggregate map"
                + " was full)",
            rs.getString(2));
        assertEquals(capture.events().size(), rs.getLong(3));
        assertEquals("[1000, 900, 100]", rs.getString(4));
      }
    }
  }

  @Test
  void combinesTheKernelsPerTypeCountsWithTheSinksOwnInCaptureStats() throws SQLException {
    SyntheticCapture capture = SyntheticCapture.generate("cap-kstats", 4_000, 6);
    Map<String, Long> delivered =
        capture.events().stream()
            .collect(Collectors.groupingBy(e -> e.type().columnValue(), Collectors.counting()));
    long sendto = delivered.get("sendto");
    long syscall = delivered.get("syscall");
    // The kernel produced more than reached the sink: some lost in the ring buffer, some sendto
    // records left out by the policy; exec records are process records, not event rows.
    List<TypeStats> kernel =
        List.of(
            new TypeStats("sendto", sendto + 50, sendto + 20, 30),
            new TypeStats("syscall", syscall + 7, syscall, 7, 900, 4),
            new TypeStats("exec", 12, 11, 1));
    var s0 = capture.summary();
    CaptureSummary summary =
        new CaptureSummary(
            s0.captureId(),
            s0.startedAt(),
            s0.endedAt(),
            s0.probes(),
            s0.eventCount(),
            38,
            s0.keyId(),
            s0.commandExitCode(),
            kernel);
    try (EventStore store = EventStore.open(tmp.resolve("events.duckdb"), allocator)) {
      try (CaptureWriter writer = store.beginCapture("cap-kstats", "node-a")) {
        capture.writeTo(writer, 500);
        writer.finish(summary);
      }
      Map<String, List<Long>> rows = new TreeMap<>();
      try (Connection c = store.connect();
          Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT type, produced, stored, dropped FROM capture_stats"
                      + " WHERE capture_id = 'cap-kstats'")) {
        while (rs.next()) {
          rows.put(rs.getString(1), List.of(rs.getLong(2), rs.getLong(3), rs.getLong(4)));
        }
      }
      System.out.println("CaptureWriterTest kernel + sink capture_stats: " + rows);
      assertEquals(List.of(sendto + 50, sendto, 30L), rows.get("sendto"));
      assertEquals(List.of(syscall + 7, syscall, 7L), rows.get("syscall"));
      assertEquals(List.of(12L, 11L, 1L), rows.get("exec"), "kernel-only records as reported");
      long retransmits = delivered.get("tcp_retransmit");
      assertEquals(
          List.of(retransmits, retransmits, 0L),
          rows.get("tcp_retransmit"),
          "a type the kernel did not report keeps the sink's counts");
      assertEquals(delivered.size() + 1, rows.size());
      Map<String, Long> sampledOut = new TreeMap<>();
      Map<String, Long> stackFailures = new TreeMap<>();
      try (Connection c = store.connect();
          Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT type, sampled_out, stack_failures FROM capture_stats"
                      + " WHERE capture_id = 'cap-kstats'")) {
        while (rs.next()) {
          long value = rs.getLong(2);
          sampledOut.put(rs.getString(1), rs.wasNull() ? null : value);
          stackFailures.put(rs.getString(1), rs.getLong(3));
        }
      }
      assertEquals(4L, stackFailures.get("syscall"), "the kernel's stack failures");
      assertEquals(0L, stackFailures.get("exec"));
      assertEquals(900L, sampledOut.get("syscall"), "the kernel's sampled-out count");
      assertEquals(0L, sampledOut.get("exec"));
      assertEquals(0L, sampledOut.get("tcp_retransmit"), "only the kernel samples");
    }
  }

  @Test
  void withoutKernelCountsCaptureStatsHoldTheSinksCountsPerType() throws SQLException {
    SyntheticCapture capture = SyntheticCapture.generate("cap-sstats", 2_000, 9);
    Map<String, Long> delivered =
        capture.events().stream()
            .collect(Collectors.groupingBy(e -> e.type().columnValue(), Collectors.counting()));
    try (EventStore store = EventStore.open(tmp.resolve("events.duckdb"), allocator)) {
      try (CaptureWriter writer = store.beginCapture("cap-sstats", "node-a")) {
        capture.writeTo(writer, 500);
        writer.finish(capture.summary());
      }
      Map<String, Long> stored = new TreeMap<>();
      try (Connection c = store.connect();
          Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT type, produced, stored, dropped FROM capture_stats"
                      + " WHERE capture_id = 'cap-sstats'")) {
        while (rs.next()) {
          assertEquals(rs.getLong(2), rs.getLong(3), rs.getString(1));
          assertEquals(0, rs.getLong(4), rs.getString(1));
          stored.put(rs.getString(1), rs.getLong(3));
        }
      }
      assertEquals(new TreeMap<>(delivered), stored);
    }
  }

  private static long micros(Instant instant) {
    return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
  }
}
