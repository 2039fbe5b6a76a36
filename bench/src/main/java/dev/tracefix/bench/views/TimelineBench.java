package dev.tracefix.bench.views;

import dev.tracefix.server.http.WorkbenchServer;
import dev.tracefix.server.kernel.sql.NotebookDatabases;
import dev.tracefix.server.run.FileNotebookWorkspace;
import dev.tracefix.sink.schema.StoreSchema;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;

/**
 * Timeline frame time with a million events in view: a store of generated syscalls on eight threads
 * over ten seconds, a notebook cell selecting them all, the workbench on loopback, and headless
 * Chromium (web/browser-tests/timeline-bench.mjs) opening the timeline, zooming in step by step
 * with W and out again, timing each frame the canvas draws and each round trip to the
 * level-of-detail route.
 *
 * <p>Usage: {@code TimelineBench EVENTS WORK_DIR WEB_DIR}
 */
public final class TimelineBench {
  private TimelineBench() {}

  public static void main(String[] args) throws Exception {
    int events = Integer.parseInt(args[0]);
    Path work = Path.of(args[1]);
    Path web = Path.of(args[2]).toAbsolutePath();
    Path store = work.resolve("trace.duckdb");
    Path notebooks = Files.createDirectories(work.resolve("notebooks"));
    Files.createDirectories(work.resolve("queries")); // the saved-queries panel lists none
    long start = System.nanoTime();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + store);
        Statement s = c.createStatement()) {
      StoreSchema.migrate(c);
      s.execute(
          "INSERT INTO processes (capture_id, token, comm, build_id, cgroup, exe_hash, key_id)"
              + " VALUES ('c1', 'p_checkout', 'checkout', 'b1', '/', 'e_1', 'k1')");
      s.execute(
          "INSERT INTO events (capture_id, time, type, process_token, thread_token, duration_ns,"
              + " bytes, errno, errno_name, key_id, syscall, fd)"
              + " SELECT 'c1', make_timestamp_ns(1740823200000000000 + i * (10000000000 // "
              + events
              + ")), 'syscall', 'p_checkout', 't_' || (i % 8), 1000 + (i * 7919) % 100000, 64,"
              + " CASE WHEN i % 97 = 0 THEN 11 ELSE 0 END, CASE WHEN i % 97 = 0 THEN 'EAGAIN' END,"
              + " 'k1', CASE WHEN i % 2 = 0 THEN 'write' ELSE 'read' END, 5 FROM range("
              + events
              + ") t(i)");
    }
    System.out.printf(
        "store: %d events in %d ms%n", events, (System.nanoTime() - start) / 1_000_000);
    Files.writeString(
        notebooks.resolve("trace.md"),
        "# Timeline bench\n\n```sql id=all\nSELECT * FROM events ORDER BY time\n```\n",
        StandardCharsets.UTF_8);
    String token = "bench-token-0123456789";
    try (FileNotebookWorkspace workspace =
            new FileNotebookWorkspace(
                notebooks, NotebookDatabases.unlocked(store), work, Map.of());
        WorkbenchServer server = WorkbenchServer.start(workspace, 0, token)) {
      start = System.nanoTime();
      workspace.runCell("trace.md", "all");
      System.out.printf("cell: %d ms%n", (System.nanoTime() - start) / 1_000_000);
      ProcessBuilder pb =
          new ProcessBuilder("node", "browser-tests/timeline-bench.mjs")
              .directory(web.toFile())
              .inheritIO();
      pb.environment().put("TRACEFIX_URL", "http://127.0.0.1:" + server.port() + "/");
      pb.environment().put("TRACEFIX_TOKEN", token);
      pb.environment().put("TRACEFIX_EVENTS", Integer.toString(events));
      int exit = pb.start().waitFor();
      if (exit != 0) {
        throw new IllegalStateException("timeline-bench.mjs exited with " + exit);
      }
    }
  }
}
