package dev.tracefix.sink;

import dev.tracefix.capture.SafeStack;
import dev.tracefix.capture.TriggerFiring;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A capture's few rows beside its events: the stacks its events name and its trigger firings.
 * They arrive on the capture thread while the ingest thread owns the DuckDB connection, so they
 * wait here until the writer's next commit point, when no batch is in flight. Not thread-safe:
 * the writer guards it with its own monitor.
 */
final class SideRows {
  private final List<SafeStack> stacks = new ArrayList<>();
  private final List<TriggerFiring> firings = new ArrayList<>();

  void add(SafeStack stack) {
    stacks.add(stack);
  }

  void add(TriggerFiring firing) {
    firings.add(firing);
  }

  /** Inserts and forgets what is pending. The connection must be idle (no batch in flight). */
  void write(Connection connection, String captureId) throws SQLException {
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
      stacks.clear();
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
      firings.clear();
    }
  }
}
