package dev.tracefix.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tracefix.sink.jvm.JvmAndKernelCapture;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The saved {@code jvm-*} queries on {@link JvmAndKernelCapture}: each finds its situation with the
 * figures the rows were made with (the real-JVM counterpart is the server's JvmKernelJoinTest).
 */
class JvmQueriesTest {
  @TempDir Path tmp;

  @Test
  void eachJvmQueryFindsItsSituationWithTheRowsFigures() throws Exception {
    try (RootAllocator allocator = new RootAllocator();
        EventStore store = EventStore.open(tmp.resolve("jvm.duckdb"), allocator)) {
      JvmAndKernelCapture.write(store, allocator, "cap-jvm");
      try (Connection c = store.connect();
          Statement s = c.createStatement()) {
        assertEquals(
            List.of("connect ECONNREFUSED java.net.ConnectException 1.0 connector"),
            rows(
                s,
                "jvm-exceptions-around-failing-connects",
                "call, errno_name, object_class, offset_ms, thread_name"));
        assertEquals(
            List.of(
                "connect running 1 40.0",
                "read gc pause 1 28000.0",
                "write gc pause 1 3000.0",
                "write running 1 20.0"),
            rows(s, "jvm-syscall-latency-during-gc", "syscall, jvm_was, calls, avg_us"));
        assertEquals(
            List.of("reader 29000.0 1 read 28000.0 96.6"),
            rows(
                s,
                "jvm-socket-reads-vs-kernel-recv",
                "thread_name, java_read_us, kernel_calls, syscalls, kernel_us, kernel_share_pct"));
        assertEquals(
            List.of("jdk.JavaMonitorEnter Orders$Lock 1 27.0 25.0 sleeping"),
            rows(
                s,
                "jvm-monitor-contention-vs-off-cpu",
                "type, object_class, waits, java_blocked_ms, off_cpu_ms, wait_states"));
      }
    }
  }

  /** The chosen columns of a saved query's rows (default parameters), space-separated. */
  private static List<String> rows(Statement s, String name, String columns) throws Exception {
    SavedQueriesTest.SavedQuery q =
        SavedQueriesTest.SavedQuery.parse(SavedQueriesTest.QUERIES.resolve(name + ".sql"));
    String sql = q.boundSql().replaceAll(";\\s*$", "");
    List<String> out = new ArrayList<>();
    try (ResultSet rs = s.executeQuery("SELECT " + columns + " FROM (" + sql + ")")) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<String> values = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
          values.add(rs.getString(i));
        }
        out.add(String.join(" ", values));
      }
    }
    return out;
  }
}
