package dev.tracefix.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracefix.capture.SafeProcess;
import dev.tracefix.capture.SyscallStat;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same calls stored both ways: streamed one row per call (a full-mode capture) and as default
 * mode's interval aggregates (syscall_stats, built here from the first capture's rows by the
 * kernel's rules: log2 buckets, summed latency and bytes). syscall_totals and
 * syscall_latency_buckets give the two captures the same answers, and forgetting a process forgets
 * its aggregates.
 */
class SyscallStatsStoreTest {
  @TempDir Path tmp;

  private record CallKey(String token, String syscall, int errno, String peer) {}

  /**
   * Aggregates are stored as each interval's rows arrive, not held until the capture ends: a long
   * default-mode capture would keep them all in memory and lose them all to a crash.
   */
  @Test
  void eachIntervalsAggregatesAreStoredAsTheyArrive() throws Exception {
    try (RootAllocator allocator = new RootAllocator();
        EventStore store = EventStore.open(tmp.resolve("s.duckdb"), allocator)) {
      SyntheticCapture capture = SyntheticCapture.generate("cap-live", 2_000, 3);
      try (CaptureWriter writer = store.beginCapture("cap-live", "node-a", 4_096)) {
        long t0 = 1_767_225_600_000_000_000L;
        for (int interval = 0; interval < 3; interval++) {
          List<SyscallStat> rows = new ArrayList<>();
          for (int p = 0; p < 500; p++) {
            long start = t0 + interval * 1_000_000_000L;
            rows.add(
                new SyscallStat(
                    start,
                    start + 1_000_000_000L,
                    "tok-p" + p,
                    "read",
                    0,
                    null,
                    2,
                    2_000,
                    128,
                    new long[] {0, 0, 2},
                    SyntheticCapture.KEY_ID));
          }
          writer.onSyscallStats(rows);
          assertEquals(
              500L * (interval + 1),
              count(store, "SELECT count(*) FROM syscall_stats WHERE capture_id = 'cap-live'"),
              "stored before the capture ends, interval " + interval);
        }
        capture.writeTo(writer, 500);
        writer.finish(capture.summary());
      }
      assertEquals(
          3_000L,
          count(store, "SELECT sum(calls) FROM syscall_stats WHERE capture_id = 'cap-live'"),
          "each row once");
    }
  }

  private static long count(EventStore store, String sql) throws Exception {
    try (Connection c = store.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      assertTrue(rs.next());
      return rs.getLong(1);
    }
  }

  @Test
  void theViewsAnswerTheSameForStreamedAndAggregatedCalls() throws Exception {
    try (RootAllocator allocator = new RootAllocator();
        EventStore store = EventStore.open(tmp.resolve("s.duckdb"), allocator)) {
      SyntheticCapture full = SyntheticCapture.generate("cap-full", 20_000, 7);
      try (CaptureWriter writer = store.beginCapture("cap-full", "node-a", 4_096)) {
        full.writeTo(writer, 1_000);
        writer.finish(full.summary());
      }
      List<SyscallStat> rows = aggregate(store, "tok-cap-full-", "tok-cap-agg-");
      try (CaptureWriter writer = store.beginCapture("cap-agg", "node-a", 4_096)) {
        for (SafeProcess p : full.processes()) {
          writer.onProcess(
              new SafeProcess(
                  p.token().replace("tok-cap-full-", "tok-cap-agg-"),
                  p.comm(),
                  p.buildId(),
                  p.cgroup(),
                  p.exeHash(),
                  p.keyId()));
        }
        writer.onSyscallStats(rows);
        writer.finish(full.summary());
      }

      Map<String, String> fromEvents = totals(store, "cap-full", "events");
      Map<String, String> fromStats = totals(store, "cap-agg", "syscall_stats");
      System.out.printf(
          "syscall_totals: %d groups from %d streamed calls; %d from %d aggregate rows%n",
          fromEvents.size(), full.events().size(), fromStats.size(), rows.size());
      assertFalse(fromEvents.isEmpty());
      assertEquals(fromEvents, fromStats, "the same totals and quantile buckets either way");

      // Exported to Parquet and loaded into another store, the aggregates answer the same.
      Path export = tmp.resolve("export");
      store.exportParquet(export, TestKeys.KEY);
      try (EventStore copy = EventStore.open(tmp.resolve("copy.duckdb"), allocator)) {
        copy.importParquet(export);
        assertEquals(fromStats, totals(copy, "cap-agg", "syscall_stats"), "after export/import");
      }

      store.forget(new dev.tracefix.sink.Subject.Token("tok-cap-agg-0"));
      try (Connection c = store.connect();
          Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT count(*) FILTER (WHERE process_token = 'tok-cap-agg-0'), count(*)"
                      + " FROM syscall_stats")) {
        rs.next();
        assertEquals(0, rs.getLong(1), "forgetting a process forgets its aggregates");
        assertTrue(rs.getLong(2) > 0, "and only its own");
      }
    }
  }

  /** The kernel's aggregation of cap-full's calls, in two intervals per key. */
  private static List<SyscallStat> aggregate(EventStore store, String from, String to)
      throws Exception {
    Map<CallKey, long[]> first = new HashMap<>();
    Map<CallKey, long[]> second = new HashMap<>();
    try (Connection c = store.connect();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT process_token, syscall, errno, peer_hash, duration_ns, bytes"
                    + " FROM syscalls WHERE capture_id = 'cap-full' ORDER BY time")) {
      int i = 0;
      while (rs.next()) {
        CallKey key =
            new CallKey(
                rs.getString(1).replace(from, to), rs.getString(2), rs.getInt(3), rs.getString(4));
        long duration = rs.getLong(5);
        long[] totals = (i++ % 2 == 0 ? first : second).computeIfAbsent(key, k -> new long[3 + 32]);
        totals[0]++;
        totals[1] += duration;
        totals[2] += rs.getLong(6);
        int bucket = duration <= 1 ? 0 : Math.min(31, 63 - Long.numberOfLeadingZeros(duration));
        totals[3 + bucket]++;
      }
    }
    List<SyscallStat> rows = new ArrayList<>();
    long t0 = 1_767_225_600_000_000_000L;
    for (var interval : List.of(first, second)) {
      long start = interval == first ? t0 : t0 + 1_000_000_000L;
      interval.forEach(
          (k, v) -> {
            int last = 31;
            while (last > 0 && v[3 + last] == 0) {
              last--;
            }
            long[] buckets = java.util.Arrays.copyOfRange(v, 3, 3 + last + 1);
            rows.add(
                new SyscallStat(
                    start,
                    start + 1_000_000_000L,
                    k.token(),
                    k.syscall(),
                    k.errno(),
                    k.peer(),
                    v[0],
                    v[1],
                    v[2],
                    buckets,
                    SyntheticCapture.KEY_ID));
          });
    }
    return rows;
  }

  /** syscall_totals of one capture, by comm/syscall/errno/peer, as comparable text. */
  private static Map<String, String> totals(EventStore store, String capture, String source)
      throws Exception {
    Map<String, String> out = new TreeMap<>();
    try (Connection c = store.connect();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT comm, syscall, errno, peer_hash, calls, total_ns, bytes, p50_le_us,"
                    + " p90_le_us, p99_le_us, source FROM syscall_totals WHERE capture_id = '"
                    + capture
                    + "'")) {
      while (rs.next()) {
        assertEquals(source, rs.getString(11));
        out.put(
            rs.getString(1) + "/" + rs.getString(2) + "/" + rs.getInt(3) + "/" + rs.getString(4),
            rs.getLong(5)
                + " "
                + rs.getLong(6)
                + " "
                + rs.getLong(7)
                + " "
                + rs.getDouble(8)
                + " "
                + rs.getDouble(9)
                + " "
                + rs.getDouble(10));
      }
    }
    return out;
  }
}
