package dev.tracefix.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tracefix.capture.EventType;
import dev.tracefix.capture.SafeEvent;
import dev.tracefix.capture.SafeProcess;
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
 * An exec's previous token lands in {@code events.previous_token}, survives a Parquet round trip,
 * and each program of a process is one row of {@code processes}.
 */
class ExecLinkStoreTest {
  private static final String SHELL = "p_00000000000000a1";
  private static final String PROGRAM = "p_00000000000000b2";
  private static final String CHILD = "p_00000000000000c3";

  @TempDir Path tmp;

  private static SafeEvent event(EventType type, long time, String token) {
    return SafeEvent.builder(time, type, token, "k1").build();
  }

  private static void writeCapture(EventStore store, String captureId) {
    SyntheticCapture capture = SyntheticCapture.generate(captureId, 0, 1);
    try (CaptureWriter writer = store.beginCapture(captureId, "node-a")) {
      writer.onProcess(new SafeProcess(SHELL, "sh", null, null, "e_sh", "k1"));
      writer.onProcess(new SafeProcess(CHILD, "dirname", null, null, "e_dirname", "k1"));
      writer.onProcess(new SafeProcess(PROGRAM, "server", null, null, "e_server", "k1"));
      writer.onEvents(
          List.of(
              event(EventType.PROCESS_FORK, 1_000, SHELL).toBuilder().childToken(CHILD).build(),
              event(EventType.PROCESS_EXEC, 2_000, PROGRAM).toBuilder()
                  .previousToken(SHELL)
                  .build(),
              event(EventType.PROCESS_EXIT, 3_000, PROGRAM)));
      writer.finish(capture.summary());
    }
  }

  @Test
  void anExecLinksTheTokensOfTheTwoProgramsAndSurvivesAParquetRoundTrip() throws Exception {
    Path export = tmp.resolve("export");
    try (RootAllocator allocator = new RootAllocator()) {
      try (EventStore store = EventStore.open(tmp.resolve("a.duckdb"), allocator)) {
        writeCapture(store, "cap-x");
        assertEquals(List.of("server exec from sh"), execLinks(store));
        assertEquals(
            List.of("0 start sh", "1 fork dirname", "1 exec server"), lineageOf(store, "sh"));
        store.exportParquet(export, TestKeys.KEY);
      }
      try (EventStore copy = EventStore.open(tmp.resolve("b.duckdb"), allocator)) {
        copy.importParquet(export);
        List<String> links = execLinks(copy);
        System.out.printf("exec links after a Parquet round trip: %s%n", links);
        assertEquals(List.of("server exec from sh"), links);
      }
    }
  }

  /** The saved lineage query from {@code comm}: depth, link and program of each row. */
  private static List<String> lineageOf(EventStore store, String comm) throws Exception {
    SavedQueriesTest.SavedQuery query =
        SavedQueriesTest.SavedQuery.parse(SavedQueriesTest.QUERIES.resolve("process-lineage.sql"));
    List<String> rows = new ArrayList<>();
    try (Connection c = store.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(query.sql().replace("$comm", "'" + comm + "'"))) {
      while (rs.next()) {
        rows.add(rs.getInt("depth") + " " + rs.getString("via") + " " + rs.getString("comm"));
      }
    }
    System.out.printf("process-lineage.sql from %s: %s%n", comm, rows);
    return rows;
  }

  /** Each exec's program and the program before it, joined through {@code processes}. */
  private static List<String> execLinks(EventStore store) throws Exception {
    List<String> links = new ArrayList<>();
    try (Connection c = store.connect();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT now.comm || ' exec from ' || before.comm FROM events e"
                    + " JOIN processes now ON now.capture_id = e.capture_id"
                    + " AND now.token = e.process_token"
                    + " JOIN processes before ON before.capture_id = e.capture_id"
                    + " AND before.token = e.previous_token"
                    + " WHERE e.type = 'process_exec' ORDER BY e.time")) {
      while (rs.next()) {
        links.add(rs.getString(1));
      }
    }
    return links;
  }
}
