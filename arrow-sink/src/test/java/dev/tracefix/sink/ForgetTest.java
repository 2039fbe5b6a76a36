package dev.tracefix.sink;

import static dev.tracefix.sink.EventStoreTest.single;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ForgetTest {
  private static final String TOKEN = "tok-cap-a-1";

  /** The synthetic captures start on 2026-01-01; a day later they are well inside retention. */
  private static final Instant JAN_2 = Instant.parse("2026-01-02T00:00:00Z");

  @TempDir Path tmp;
  private RootAllocator allocator;
  private SteppingClock clock;

  @BeforeEach
  void openAllocator() {
    allocator = new RootAllocator();
    clock = new SteppingClock(JAN_2);
  }

  @AfterEach
  void closeAllocatorRevealingLeaks() {
    allocator.close();
  }

  @Test
  void forgettingATokenRemovesItsRowsFromDuckDbAndAnEarlierExportAndAuditsOnlyADigest()
      throws Exception {
    Path db = tmp.resolve("store.duckdb");
    Path export = tmp.resolve("export");
    Map<String, Long> before;
    ForgetResult result;
    try (EventStore store = storeWithTwoCaptures(db)) {
      store.exportParquet(export, TestKeys.KEY);
      try (Connection c = store.connect();
          Statement s = c.createStatement()) {
        before = counts(s, "");
        s.execute("CHECKPOINT");
      }
      assertTrue(contains(db, TOKEN), "the token is in the file before forgetting");
      result = store.forget(new Subject.Token(TOKEN), List.of(export));
      System.out.println("ForgetTest token: " + result + " before=" + before);
      try (Connection c = store.connect();
          Statement s = c.createStatement()) {
        long tokenEvents = before.get("token events");
        assertEquals(
            0L, single(s, "SELECT count(*) FROM events WHERE process_token = '" + TOKEN + "'"));
        assertEquals(0L, single(s, "SELECT count(*) FROM processes WHERE token = '" + TOKEN + "'"));
        assertEquals(before.get("events") - tokenEvents, single(s, "SELECT count(*) FROM events"));
        assertEquals(before.get("processes") - 1, single(s, "SELECT count(*) FROM processes"));
        // Stack 1 was only this token's; stack 2 is shared with another process and stays.
        assertEquals(List.of(2L), longs(s, "SELECT stack_id FROM stacks ORDER BY ALL"));
        assertEquals(
            before.get("cap-b events"),
            single(s, "SELECT count(*) FROM events WHERE capture_id = 'cap-b'"));

        String events = parquet(export, "events");
        assertEquals(
            0L,
            single(s, "SELECT count(*) FROM " + events + " WHERE process_token = '" + TOKEN + "'"));
        assertEquals(
            before.get("events") - tokenEvents, single(s, "SELECT count(*) FROM " + events));
        assertEquals(
            before.get("processes") - 1,
            single(s, "SELECT count(*) FROM " + parquet(export, "processes")));
        assertEquals(1L, single(s, "SELECT count(*) FROM " + parquet(export, "stacks")));
        assertEquals(
            before.get("cap-b events"),
            single(s, "SELECT count(*) FROM " + events + " WHERE capture = 'cap-b'"));

        Map<String, Long> audited = audit(s, "token");
        System.out.println("ForgetTest token audit: " + audited);
        assertEquals(tokenEvents, audited.get("events"));
        assertEquals(1L, audited.get("processes"));
        assertEquals(1L, audited.get("stacks"));
        assertEquals(tokenEvents, audited.get("parquet:events"));
        assertEquals(1L, audited.get("parquet:processes"));
        assertEquals(result.rowsByTable(), audited);
        assertEquals(
            new Subject.Token(TOKEN).digest(),
            single(
                s, "SELECT DISTINCT subject_digest FROM deletions WHERE subject_kind = 'token'"));
        assertEquals(
            0L,
            single(
                s,
                "SELECT count(*) FROM deletions WHERE concat_ws('|', \"at\", subject_kind,"
                    + " subject_digest, table_name, rows) LIKE '%"
                    + TOKEN
                    + "%'"));
      }
    }
    // Closing rewrote the file: the deleted values are not left in freed blocks.
    assertFalse(contains(db, TOKEN), "the forgotten token is nowhere in " + db);
    assertTrue(contains(db, "tok-cap-a-2"), "other tokens are still stored (the scan sees text)");
    try (EventStore store = open(db);
        Connection c = store.connect();
        Statement s = c.createStatement()) {
      assertEquals(
          before.get("events") - before.get("token events"),
          single(s, "SELECT count(*) FROM events"));
      assertEquals(
          result.rowsByTable().size(), (long) (Long) single(s, "SELECT count(*) FROM deletions"));
      assertEquals(
          (long) dev.tracefix.sink.schema.StoreSchema.CURRENT_VERSION,
          single(s, "SELECT max(version) FROM schema_version"));
    }
  }

  @Test
  void forgettingACaptureRemovesItFromEveryTableAndItsExportPartitions() throws Exception {
    Path export = tmp.resolve("export");
    try (EventStore store = storeWithTwoCaptures(tmp.resolve("store.duckdb"))) {
      store.exportParquet(export, TestKeys.KEY);
      Map<String, Long> capB;
      try (Connection c = store.connect();
          Statement s = c.createStatement()) {
        capB = counts(s, "WHERE capture_id = 'cap-b'");
      }
      ForgetResult result = store.forget(new Subject.Capture("cap-a"), List.of(export));
      System.out.println("ForgetTest capture: " + result);
      assertEquals(1L, result.rowsByTable().get("captures"));
      assertEquals(1L, result.rowsByTable().get("parquet:captures"));
      try (Connection c = store.connect();
          Statement s = c.createStatement()) {
        for (String table : List.of("events", "processes", "stacks", "capture_stats", "captures")) {
          assertEquals(
              0L,
              single(s, "SELECT count(*) FROM " + table + " WHERE capture_id = 'cap-a'"),
              table);
          if (!table.equals("stacks")) { // only cap-a had stacks: none are left to read
            assertEquals(
                0L,
                single(
                    s,
                    "SELECT count(*) FROM "
                        + parquet(export, table)
                        + " WHERE capture_id = 'cap-a'"),
                table);
          }
        }
        try (var left = Files.walk(export.resolve("stacks"))) {
          assertEquals(0L, left.filter(Files::isRegularFile).count(), "stacks files left");
        }
        assertEquals(capB, counts(s, "WHERE capture_id = 'cap-b'"));
        assertEquals(
            capB.get("events"), single(s, "SELECT count(*) FROM " + parquet(export, "events")));
        assertEquals(result.rowsByTable(), audit(s, "capture"));
      }
      assertFalse(Files.exists(export.resolve("captures/capture=cap-a")));
      assertFalse(Files.exists(export.resolve("events/date=2026-01-01/host=node-a")));
      assertTrue(Files.exists(export.resolve("captures/capture=cap-b")));
    }
  }

  @Test
  void forgettingACgroupRemovesEveryProcessInItAcrossCaptures() throws Exception {
    String cgroup = "/sys.slice/svc2.service";
    try (EventStore store = storeWithTwoCaptures(tmp.resolve("store.duckdb"));
        Connection c = store.connect();
        Statement s = c.createStatement()) {
      long inCgroup =
          (Long) single(s, "SELECT count(*) FROM events WHERE process_token LIKE 'tok-%-2'");
      long total = (Long) single(s, "SELECT count(*) FROM events");
      ForgetResult result = store.forget(new Subject.Cgroup(cgroup));
      System.out.println("ForgetTest cgroup: " + result);
      assertEquals(inCgroup, result.rowsByTable().get("events"));
      assertEquals(2L, result.rowsByTable().get("processes"));
      assertEquals(0L, single(s, "SELECT count(*) FROM processes WHERE cgroup = '" + cgroup + "'"));
      assertEquals(total - inCgroup, single(s, "SELECT count(*) FROM events"));
      assertEquals(0L, single(s, "SELECT count(*) FROM events WHERE process_token LIKE 'tok-%-2'"));
      // Stack 2 is shared with a process outside the cgroup.
      assertEquals(List.of(1L, 2L), longs(s, "SELECT stack_id FROM stacks ORDER BY ALL"));
      assertEquals(result.rowsByTable(), audit(s, "cgroup"));
    }
  }

  @Test
  void retentionDeletesEventsOlderThanTheLimitWhenTheStoreOpensAndRecordsIt() throws Exception {
    Path db = tmp.resolve("store.duckdb");
    long old;
    long recent;
    try (EventStore store = storeWithTwoCaptures(db)) {
      clock.set(Instant.parse("2026-01-10T00:00:00Z"));
      writeCapture(store, "cap-new", "node-a", 777_600_000L); // starts 2026-01-10
      try (Connection c = store.connect();
          Statement s = c.createStatement()) {
        old = (Long) single(s, "SELECT count(*) FROM events WHERE capture_id <> 'cap-new'");
        recent = (Long) single(s, "SELECT count(*) FROM events WHERE capture_id = 'cap-new'");
      }
    }
    clock.set(Instant.parse("2026-01-16T00:00:00Z")); // cut-off: 2026-01-02
    try (EventStore store = open(db);
        Connection c = store.connect();
        Statement s = c.createStatement()) {
      assertEquals(recent, single(s, "SELECT count(*) FROM events"));
      assertEquals(3L, single(s, "SELECT count(*) FROM captures"), "captures keep by default");
      assertEquals(Map.of("events", old), audit(s, "retention"));
      assertEquals("events>PT336H", single(s, "SELECT subject_digest FROM deletions"));
      assertEquals(
          "2026-01-16 00:00:00", single(s, "SELECT CAST(\"at\" AS VARCHAR) FROM deletions"));
      assertEquals(Map.of(), store.enforceRetention(), "nothing more is due");
    }
  }

  @Test
  void retentionAgesSyscallStatsWithTheEventsAndACapturesLimitTakesTheRest() throws Exception {
    Path db = tmp.resolve("store.duckdb");
    long jan1 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli() * 1_000_000L;
    long jan15 = Instant.parse("2026-01-15T00:00:00Z").toEpochMilli() * 1_000_000L;
    try (EventStore store = open(db)) {
      SyntheticCapture capture = SyntheticCapture.generate("cap-s", 500, 3);
      try (CaptureWriter writer = store.beginCapture("cap-s", "node-a", 1_000)) {
        capture.writeTo(writer, 700);
        writer.onSyscallStats(
            List.of(
                interval(jan1, "read"),
                interval(jan1 + 1_000_000_000L, "read"),
                interval(jan15, "write")));
        writer.finish(capture.summary());
      }
    }
    clock.set(Instant.parse("2026-01-16T00:00:00Z")); // events' cut-off: 2026-01-02
    try (EventStore store = open(db);
        Connection c = store.connect();
        Statement s = c.createStatement()) {
      assertEquals(
          List.of("write"),
          List.of(single(s, "SELECT string_agg(syscall) FROM syscall_stats")),
          "the two intervals of January 1 aged out with the events");
      Map<String, Long> audited = audit(s, "retention");
      assertEquals(2L, audited.get("syscall_stats"), audited::toString);
      assertEquals(Map.of(), store.enforceRetention(), "nothing more is due");
    }
    try (EventStore store =
            EventStore.open(
                db,
                allocator,
                StoreOptions.DEFAULT
                    .withClock(clock)
                    .withRetention(Retention.DEFAULT.with("captures=1d")));
        Connection c = store.connect();
        Statement s = c.createStatement()) {
      assertEquals(0L, single(s, "SELECT count(*) FROM syscall_stats"), "gone with its capture");
    }
  }

  private static dev.tracefix.capture.SyscallStat interval(long startNs, String syscall) {
    return new dev.tracefix.capture.SyscallStat(
        startNs,
        startNs + 1_000_000_000L,
        "tok-cap-s-0",
        syscall,
        0,
        null,
        3,
        3_000,
        0,
        new long[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3},
        SyntheticCapture.KEY_ID);
  }

  @Test
  void anOpenStoreEnforcesRetentionOnItsScheduleAsTheClockMoves() throws Exception {
    StoreOptions every50ms =
        StoreOptions.DEFAULT
            .withClock(clock)
            .withSweepInterval(java.time.Duration.ofMillis(50))
            .withRetention(Retention.DEFAULT.with("captures=20d"));
    try (EventStore store = EventStore.open(tmp.resolve("store.duckdb"), allocator, every50ms)) {
      writeCapture(store, "cap-a", "node-a", 1);
      try (Connection c = store.connect();
          Statement s = c.createStatement()) {
        assertEquals(0L, single(s, "SELECT count(*) FROM deletions"));
        clock.set(Instant.parse("2026-02-01T00:00:00Z"));
        long deadline = System.nanoTime() + 60_000_000_000L;
        while ((Long) single(s, "SELECT count(*) FROM captures") > 0
            && System.nanoTime() < deadline) {
          Thread.sleep(20); // polling for the sweep's effect; the assertions below decide
        }
        Map<String, Long> audited = audit(s, "retention");
        System.out.println("ForgetTest scheduled retention: " + audited);
        assertEquals(
            0L, single(s, "SELECT count(*) FROM captures"), ForgetTest::retentionThreadStacks);
        assertEquals(0L, single(s, "SELECT count(*) FROM processes"));
        assertEquals(0L, single(s, "SELECT count(*) FROM events"));
        assertEquals(1L, audited.get("captures"));
        assertEquals(5L, audited.get("processes"));
      }
    }
  }

  /** Where the retention thread is, for a failure message: it should be idle between sweeps. */
  private static String retentionThreadStacks() {
    StringBuilder b = new StringBuilder("no sweep deleted the old capture; retention threads:\n");
    Thread.getAllStackTraces()
        .forEach(
            (thread, stack) -> {
              if (thread.getName().startsWith("tracefix-retention")) {
                b.append(thread.getName()).append(' ').append(thread.getState()).append('\n');
                for (StackTraceElement frame : stack) {
                  b.append("  at ").append(frame).append('\n');
                }
              }
            });
    return b.toString();
  }

  @Test
  void badSubjectsAreRefusedClearly() throws Exception {
    try (EventStore store = storeWithTwoCaptures(tmp.resolve("store.duckdb"))) {
      SinkException unknown =
          assertThrows(SinkException.class, () -> store.forget(new Subject.Capture("c-nope")));
      System.out.println("ForgetTest unknown capture: " + unknown.getMessage());
      assertEquals(SinkException.Kind.USER, unknown.kind());
      assertTrue(unknown.getMessage().contains("no capture c-nope"), unknown.getMessage());
      SinkException blank = assertThrows(SinkException.class, () -> new Subject.Token(" "));
      assertEquals(SinkException.Kind.USER, blank.kind());
      Path notAnExport = Files.createDirectories(tmp.resolve("not-an-export"));
      SinkException folder =
          assertThrows(
              SinkException.class,
              () -> store.forget(new Subject.Token(TOKEN), List.of(notAnExport)));
      assertTrue(folder.getMessage().contains("no tracefix export at"), folder.getMessage());
      SinkException age =
          assertThrows(SinkException.class, () -> Retention.DEFAULT.with("events=soon"));
      assertTrue(age.getMessage().contains("'soon'"), age.getMessage());
      try (Connection c = store.connect();
          Statement s = c.createStatement()) {
        assertEquals(0L, single(s, "SELECT count(*) FROM deletions"), "nothing was recorded");
      }
    }
  }

  private EventStore open(Path db) {
    return EventStore.open(db, allocator, StoreOptions.DEFAULT.withClock(clock));
  }

  /** cap-a (node-a) and cap-b (node-b), with two stacks in cap-a: 1 only TOKEN's, 2 shared. */
  private EventStore storeWithTwoCaptures(Path db) throws SQLException {
    EventStore store = open(db);
    writeCapture(store, "cap-a", "node-a", 1);
    writeCapture(store, "cap-b", "node-b", 2);
    try (Connection c = store.connect();
        Statement s = c.createStatement()) {
      s.execute(
          "UPDATE events SET stack_id = CASE WHEN process_token = '"
              + TOKEN
              + "' AND bytes % 2 = 0"
              + " THEN 1 ELSE 2 END WHERE capture_id = 'cap-a'"
              + " AND process_token IN ('"
              + TOKEN
              + "', 'tok-cap-a-2')");
      s.execute(
          "INSERT INTO stacks(capture_id, stack_id, build_id, frames) VALUES ('cap-a', 1, 'b1d1',"
              + " ['main', 'send']), ('cap-a', 2, 'b1d1', ['main', 'loop'])");
    }
    return store;
  }

  private static void writeCapture(EventStore store, String id, String host, long seed) {
    SyntheticCapture capture = SyntheticCapture.generate(id, 5_000, seed);
    try (CaptureWriter writer = store.beginCapture(id, host, 1_000)) {
      capture.writeTo(writer, 700);
      writer.finish(capture.summary());
    }
  }

  private static Map<String, Long> counts(Statement s, String where) throws SQLException {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (String table : List.of("events", "processes", "stacks", "capture_stats", "captures")) {
      counts.put(table, (Long) single(s, "SELECT count(*) FROM " + table + " " + where));
    }
    if (!where.isEmpty()) {
      return counts;
    }
    counts.put(
        "token events",
        (Long) single(s, "SELECT count(*) FROM events WHERE process_token = '" + TOKEN + "'"));
    counts.put(
        "cap-b events", (Long) single(s, "SELECT count(*) FROM events WHERE capture_id = 'cap-b'"));
    return counts;
  }

  private static Map<String, Long> audit(Statement s, String kind) throws SQLException {
    Map<String, Long> rows = new LinkedHashMap<>();
    try (ResultSet rs =
        s.executeQuery(
            "SELECT table_name, sum(rows) FROM deletions WHERE subject_kind = '"
                + kind
                + "' GROUP BY table_name ORDER BY min(rowid)")) {
      while (rs.next()) {
        rows.put(rs.getString(1), rs.getLong(2));
      }
    }
    return rows;
  }

  private static List<Long> longs(Statement s, String sql) throws SQLException {
    List<Long> values = new java.util.ArrayList<>();
    try (ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        values.add(rs.getLong(1));
      }
    }
    return values;
  }

  private static String parquet(Path export, String table) {
    return "read_parquet('"
        + export
        + "/"
        + table
        + "/**/*.parquet', hive_partitioning = true,"
        + " union_by_name = true)";
  }

  private static boolean contains(Path file, String text) throws Exception {
    byte[] haystack = Files.readAllBytes(file);
    byte[] needle = text.getBytes(StandardCharsets.UTF_8);
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
