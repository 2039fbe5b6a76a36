package dev.tracefix.sink;

import dev.tracefix.capture.SafeStack;
import dev.tracefix.capture.SyscallStat;
import dev.tracefix.capture.TriggerFiring;
import dev.tracefix.sink.errno.ErrnoNames;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A capture's few rows beside its events: the stacks its events name, its trigger firings and its
 * syscall aggregates (default mode: a row per process, syscall, outcome and peer per second). They
 * arrive on the capture thread while the ingest thread owns the DuckDB connection, so they wait
 * here until the writer's next commit point, when no batch is in flight. Not thread-safe: the
 * writer guards it with its own monitor.
 */
final class SideRows {
  private final List<SafeStack> stacks = new ArrayList<>();
  private final List<TriggerFiring> firings = new ArrayList<>();
  private final List<SyscallStat> syscallStats = new ArrayList<>();

  void add(List<SyscallStat> rows) {
    syscallStats.addAll(rows);
  }

  void add(SafeStack stack) {
    stacks.add(stack);
  }

  void add(TriggerFiring firing) {
    firings.add(firing);
  }

  /**
   * Inserts and forgets what is pending, in one transaction: a commit per row would pay DuckDB's
   * write-ahead-log sync per row, minutes for a long default-mode capture's aggregates. The
   * connection must be idle (no batch in flight).
   */
  void write(Connection connection, String captureId) throws SQLException {
    if (stacks.isEmpty() && firings.isEmpty() && syscallStats.isEmpty()) {
      return;
    }
    Transactions.inTransaction(
        connection,
        () -> {
          insertPending(connection, captureId);
          return null;
        });
    stacks.clear();
    firings.clear();
    syscallStats.clear();
  }

  private void insertPending(Connection connection, String captureId) throws SQLException {
    if (!stacks.isEmpty()) {
      try (PreparedStatement insert =
          connection.prepareStatement(
              "INSERT INTO stacks(capture_id, stack_id, build_id, frames, kernel_frames)"
                  + " VALUES (?, ?, ?, ?, ?)")) {
        for (SafeStack s : stacks) {
          insert.setString(1, captureId);
          insert.setLong(2, s.stackId());
          insert.setString(3, s.buildId());
          insert.setArray(4, connection.createArrayOf("VARCHAR", s.frames().toArray()));
          insert.setArray(5, connection.createArrayOf("VARCHAR", s.kernelFrames().toArray()));
          insert.executeUpdate();
        }
      }
    }
    if (!firings.isEmpty()) {
      try (PreparedStatement insert =
          connection.prepareStatement(
              "INSERT INTO trigger_firings(capture_id, rule, fired_at, ended_at, observed_per_s,"
                  + " threshold_per_s, probes) VALUES (?, ?, make_timestamp_ns(?),"
                  + " make_timestamp_ns(?), ?, ?, ?)")) {
        for (TriggerFiring f : firings) {
          insert.setString(1, captureId);
          insert.setString(2, f.rule());
          insert.setLong(3, f.firedAtNs());
          insert.setLong(4, f.endedAtNs());
          insert.setDouble(5, f.observedPerSecond());
          insert.setDouble(6, f.thresholdPerSecond());
          insert.setArray(7, connection.createArrayOf("VARCHAR", f.probes().toArray()));
          insert.executeUpdate();
        }
      }
    }
    if (!syscallStats.isEmpty()) {
      try (PreparedStatement insert =
          connection.prepareStatement(
              "INSERT INTO syscall_stats(capture_id, interval_start, interval_end, process_token,"
                  + " syscall, errno, errno_name, peer_hash, calls, total_ns, bytes,"
                  + " latency_buckets, key_id) VALUES (?, make_timestamp_ns(?),"
                  + " make_timestamp_ns(?), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        for (SyscallStat r : syscallStats) {
          insert.setString(1, captureId);
          insert.setLong(2, r.intervalStartNs());
          insert.setLong(3, r.intervalEndNs());
          insert.setString(4, r.processToken());
          insert.setString(5, r.syscall());
          insert.setInt(6, r.errno());
          insert.setString(7, ErrnoNames.nameOf(r.errno()));
          insert.setString(8, r.peerHash());
          insert.setLong(9, r.calls());
          insert.setLong(10, r.totalNs());
          insert.setLong(11, r.bytes());
          Long[] buckets = java.util.Arrays.stream(r.latencyBuckets()).boxed().toArray(Long[]::new);
          insert.setArray(12, connection.createArrayOf("BIGINT", buckets));
          insert.setString(13, r.keyId());
          insert.addBatch();
        }
        insert.executeBatch();
      }
    }
  }
}
