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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** events.cpu: the CPU a syscall returned on, from the kernel to the store through a capture. */
class CpuNumberCaptureTest {
  @TempDir Path tmp;

  @Test
  void eachSyscallOfAProgramPinnedToACpuIsStoredWithThatCpu() throws Exception {
    requireCapture();
    int last = Runtime.getRuntime().availableProcessors() - 1;
    // Two programs, each pinned by taskset before it runs: every call they make returns there.
    String script = "taskset -c 0 cat /etc/hostname; taskset -c " + last + " cat /etc/hostname";
    Path db = tmp.resolve("cpu.duckdb");
    try (RootAllocator allocator = new RootAllocator();
        EventStore store = EventStore.open(db, allocator)) {
      try (CaptureWriter writer = store.beginCapture("cpu-1", "node-1")) {
        CaptureSummary summary =
            Capture.run(
                new CaptureConfig(
                    Duration.ofSeconds(30),
                    OptionalInt.empty(),
                    List.of("sh", "-c", script),
                    tmp.resolve("keys")),
                writer);
        writer.finish(summary);
        assertEquals(0, summary.commandExitCode(), "the pinned programs failed");
      }
      List<String> perProgram = new ArrayList<>();
      try (Connection c = store.connect();
          Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT min(e.cpu), max(e.cpu), count(*) FROM events e JOIN processes p"
                      + " ON p.capture_id = e.capture_id AND p.token = e.process_token"
                      + " WHERE e.type = 'syscall' AND p.comm = 'cat'"
                      + " GROUP BY e.process_token ORDER BY min(e.cpu)")) {
        while (rs.next()) {
          assertTrue(rs.getLong(3) > 2, "a cat opens, reads and closes: " + rs.getLong(3));
          perProgram.add(rs.getInt(1) + ".." + rs.getInt(2));
        }
      }
      System.out.println("CpuNumberCaptureTest: cpu ranges of the two programs " + perProgram);
      assertEquals(List.of("0..0", last + ".." + last), perProgram);
    }
  }

  /** Off CI a machine without eBPF skips with the reason; in CI the same reason fails the test. */
  private static void requireCapture() {
    Optional<String> reason = Capture.unavailableReason();
    if ("true".equals(System.getenv("CI"))) {
      assertTrue(reason.isEmpty(), () -> "eBPF capture unavailable in CI: " + reason.get());
    } else {
      assumeTrue(reason.isEmpty(), () -> "eBPF capture unavailable: " + reason.orElse(""));
    }
  }
}
