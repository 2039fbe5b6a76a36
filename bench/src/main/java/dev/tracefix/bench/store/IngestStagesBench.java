package dev.tracefix.bench.store;

import dev.tracefix.capture.EventType;
import dev.tracefix.capture.SafeEvent;
import dev.tracefix.sink.EventStore;
import dev.tracefix.sink.arrow.ArrowStreamInsert;
import dev.tracefix.sink.arrow.EventBatch;
import dev.tracefix.sink.spool.SegmentFile;
import dev.tracefix.sink.spool.SegmentName;
import dev.tracefix.sink.spool.SegmentTable;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.arrow.memory.RootAllocator;
import org.duckdb.DuckDBConnection;

/**
 * Where a stored event's CPU goes, stage by stage, on one thread: filling the Arrow batch, writing
 * its spool segment (fsynced), DuckDB's insert, and the commit (the WAL, the checkpoints it
 * triggers). DuckDB runs with one thread and a 256 MiB memory_limit, as a capture's store does, so
 * its work is on this thread. Events are socket-write shaped. Arguments: events, rows per batch,
 * rows per commit (one commit per batch when equal; DuckDB's row group is 122 880 rows). Three
 * rounds; the first warms the JIT.
 */
public final class IngestStagesBench {
  public static void main(String[] args) throws Exception {
    int n = Integer.parseInt(args[0]);
    int rows = Integer.parseInt(args[1]);
    int commitRows = args.length > 2 ? Integer.parseInt(args[2]) : rows;
    Path dir = Files.createTempDirectory("tracefix-ingest-stages");
    List<SafeEvent> events = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      events.add(
          SafeEvent.builder(
                  1_700_000_000_000_000_000L + i * 10_000L,
                  EventType.SOCKET_WRITE,
                  "p_0123456789abcdef",
                  "k_61ac9b5ba8db")
              .durationNs(2000 + i % 100)
              .bytes(1)
              .fd(3)
              .peerHash("a_fedcba9876543210")
              .syscall("write")
              .threadToken("t_00112233445566" + (i % 4))
              .cpu(i % 2)
              .build());
    }
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Properties limits = new Properties();
    limits.setProperty("memory_limit", "256MiB");
    limits.setProperty("threads", "1");
    try (RootAllocator allocator = new RootAllocator()) {
      for (int round = 0; round < 3; round++) {
        Path db = dir.resolve("stages" + round + ".duckdb");
        try (EventStore store = EventStore.open(db, allocator)) {
          // creates the schema
        }
        long fill = 0;
        long spool = 0;
        long insert = 0;
        long commit = 0;
        int pending = 0;
        try (DuckDBConnection c =
            DriverManager.getConnection("jdbc:duckdb:" + db, limits)
                .unwrap(DuckDBConnection.class)) {
          for (int from = 0; from < n; from += rows) {
            long t0 = threads.getCurrentThreadCpuTime();
            try (EventBatch batch = new EventBatch(allocator, rows)) {
              for (int i = from; i < Math.min(n, from + rows); i++) {
                batch.add(events.get(i));
              }
              long t1 = threads.getCurrentThreadCpuTime();
              Path file =
                  SegmentFile.write(
                      dir,
                      new SegmentName("c" + round, from, SegmentTable.EVENTS),
                      "h",
                      batch.sealed());
              long t2 = threads.getCurrentThreadCpuTime();
              c.setAutoCommit(false);
              ArrowStreamInsert.insertEvents(c, allocator, "c" + round, batch);
              long t3 = threads.getCurrentThreadCpuTime();
              pending += batch.rowCount();
              if (pending >= commitRows || from + rows >= n) {
                c.commit();
                c.setAutoCommit(true);
                pending = 0;
              }
              long t4 = threads.getCurrentThreadCpuTime();
              fill += t1 - t0;
              spool += t2 - t1;
              insert += t3 - t2;
              commit += t4 - t3;
              Files.delete(file);
            }
          }
        }
        System.out.printf(
            "rows/batch %d, rows/commit %d, round %d: CPU µs per event: Arrow fill %.2f, spool"
                + " %.2f, DuckDB insert %.2f, commit %.2f, total %.2f%n",
            rows,
            commitRows,
            round,
            fill / 1e3 / n,
            spool / 1e3 / n,
            insert / 1e3 / n,
            commit / 1e3 / n,
            (fill + spool + insert + commit) / 1e3 / n);
      }
    }
  }
}
