package dev.tracefix.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.tracefix.capture.EventType;
import dev.tracefix.capture.SafeEvent;
import dev.tracefix.capture.SafeStack;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stacks land in {@code stacks}, events join them by stack_id, and no raw address is stored. */
class StacksStoreTest {
  private static final Pattern RAW_ADDRESS =
      Pattern.compile("(?i)(7f[0-9a-f]{10}|ffff[0-9a-f]{12})");

  @TempDir Path tmp;

  private static SafeEvent event(
      EventType type, long time, long stackId, String wait, String child) {
    return SafeEvent.builder(time, type, "p_0123456789abcdef", "k1")
        .durationNs(20_000_000)
        .stackId(stackId)
        .threadToken("t_0123456789abcdef")
        .waitState(wait)
        .childToken(child)
        .build();
  }

  @Test
  void stacksAreStoredOnceAndEventsJoinThemByStackId() throws Exception {
    SafeStack write =
        new SafeStack(
            42L,
            List.of("libc.so.6!__write+0x10", "app!inner_step+0x1d", "app!main+0x7d"),
            List.of("do_syscall_64+0x22e", "entry_SYSCALL_64_after_hwframe+0x76"),
            "93ac61ec5a8eb139");
    SafeStack sleep =
        new SafeStack(-7L, List.of("[jit]!void Hot.nap()+0x54", "[unknown]"), List.of(), null);
    Path db = tmp.resolve("events.duckdb");
    try (RootAllocator allocator = new RootAllocator();
        EventStore store = EventStore.open(db, allocator)) {
      SyntheticCapture capture = SyntheticCapture.generate("cap-s", 10, 3);
      try (CaptureWriter writer = store.beginCapture("cap-s", "node-a")) {
        capture.writeTo(writer, 10);
        writer.onStack(write);
        writer.onStack(sleep);
        writer.onEvents(
            List.of(
                event(EventType.SYSCALL, 1_000, 42L, null, null),
                event(EventType.OFF_CPU, 2_000, -7L, "sleeping", null),
                event(EventType.OFF_CPU, 3_000, -7L, "sleeping", null),
                event(EventType.PROCESS_FORK, 4_000, 0, null, "p_fedcba9876543210")));
        writer.finish(capture.summary());
      }
      try (Connection c = store.connect();
          Statement s = c.createStatement()) {
        ResultSet rs =
            s.executeQuery(
                "SELECT e.type, s.frames, s.kernel_frames, e.wait_state, e.thread_token"
                    + " FROM events e JOIN stacks s USING (capture_id, stack_id)"
                    + " WHERE e.capture_id = 'cap-s' ORDER BY e.time");
        int joined = 0;
        while (rs.next()) {
          joined++;
        }
        rs = s.executeQuery("SELECT count(*) FROM stacks WHERE capture_id = 'cap-s'");
        rs.next();
        long stackRows = rs.getLong(1);
        rs =
            s.executeQuery(
                "SELECT count(*), min(off_cpu_ms) FROM off_cpu WHERE wait_state = 'sleeping'");
        rs.next();
        long offCpu = rs.getLong(1);
        rs =
            s.executeQuery(
                "SELECT child_token FROM events WHERE type = 'process_fork' AND capture_id ="
                    + " 'cap-s'");
        rs.next();
        String child = rs.getString(1);
        rs = s.executeQuery("SELECT frames[2] FROM stacks WHERE stack_id = 42");
        rs.next();
        String secondFrame = rs.getString(1);
        System.out.printf(
            "events joined to stacks %d, stack rows %d, off_cpu rows %d, fork child %s%n",
            joined, stackRows, offCpu, child);
        assertEquals(3, joined);
        assertEquals(2, stackRows);
        assertEquals(2, offCpu);
        assertEquals("p_fedcba9876543210", child);
        assertEquals("app!inner_step+0x1d", secondFrame);
      }
    }
    String bytes = new String(Files.readAllBytes(db), StandardCharsets.ISO_8859_1);
    assertFalse(RAW_ADDRESS.matcher(bytes).find(), "a raw address in the database file");
  }
}
