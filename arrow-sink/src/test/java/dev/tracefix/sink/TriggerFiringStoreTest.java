package dev.tracefix.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracefix.capture.TriggerFiring;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A capture's trigger firings land in trigger_firings, exact to the nanosecond. */
class TriggerFiringStoreTest {
  @TempDir Path tmp;

  @Test
  void storesEachFiringWithItsCaptureAndForgetsThemWithIt() throws Exception {
    long fired = 1_795_620_397_516_738_251L;
    long ended = fired + 30_000_000_123L;
    try (RootAllocator allocator = new RootAllocator();
        EventStore store = EventStore.open(tmp.resolve("t.duckdb"), allocator)) {
      SyntheticCapture capture = SyntheticCapture.generate("cap-t", 100, 3);
      try (CaptureWriter writer = store.beginCapture("cap-t", "node-a", 1_000)) {
        capture.writeTo(writer, 50);
        writer.onTriggerFiring(
            new TriggerFiring(
                "ETIMEDOUT > 5/s -> stacks for 30s", fired, ended, 6, 5, List.of("stacks")));
        writer.onTriggerFiring(
            new TriggerFiring(
                "EPIPE > 1/s -> uprobe=/x:f for 1s",
                ended,
                ended + 1,
                2,
                1,
                List.of("failed:uprobe:f")));
        writer.finish(capture.summary());
      }
      try (Connection c = store.connect();
          Statement s = c.createStatement()) {
        try (ResultSet rs =
            s.executeQuery(
                "SELECT capture_id, rule, epoch_ns(fired_at), epoch_ns(ended_at), observed_per_s,"
                    + " threshold_per_s, array_to_string(probes, ',') FROM trigger_firings ORDER BY fired_at")) {
          assertTrue(rs.next());
          assertEquals("cap-t", rs.getString(1));
          assertEquals("ETIMEDOUT > 5/s -> stacks for 30s", rs.getString(2));
          assertEquals(fired, rs.getLong(3));
          assertEquals(ended, rs.getLong(4));
          assertEquals(6.0, rs.getDouble(5));
          assertEquals(5.0, rs.getDouble(6));
          assertEquals("stacks", rs.getString(7));
          assertTrue(rs.next());
          assertEquals("failed:uprobe:f", rs.getString(7));
          assertFalse(rs.next());
        }
      }
      store.forget(new Subject.Capture("cap-t"));
      try (Connection c = store.connect();
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT count(*) FROM trigger_firings")) {
        rs.next();
        assertEquals(0, rs.getLong(1), "forgetting a capture forgets its firings");
      }
    }
  }
}
