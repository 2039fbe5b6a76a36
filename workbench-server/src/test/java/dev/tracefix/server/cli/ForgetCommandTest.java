package dev.tracefix.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracefix.capture.CaptureSummary;
import dev.tracefix.capture.EventType;
import dev.tracefix.capture.SafeEvent;
import dev.tracefix.capture.SafeProcess;
import dev.tracefix.sink.CaptureWriter;
import dev.tracefix.sink.EventStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ForgetCommandTest {
  private static final String TOKEN = "p_forgetme0001";

  @TempDir Path dir;
  private RootAllocator allocator;
  private Path db;
  private Path export;

  @BeforeEach
  void storeWithTwoProcessesExportedOnce() {
    allocator = new RootAllocator();
    db = dir.resolve("store.duckdb");
    export = dir.resolve("export");
    try (EventStore store = EventStore.open(db, allocator)) {
      // Events from the last minute: well inside the default 14-day retention.
      long startNs = Instant.now().minusSeconds(60).toEpochMilli() * 1_000_000L;
      try (CaptureWriter writer = store.beginCapture("c-cli", "host-1", 500)) {
        writer.onProcess(new SafeProcess(TOKEN, "svc", null, "/svc.slice/a.scope", "e1", "k"));
        writer.onProcess(new SafeProcess("p_keep0002", "cli", null, "/user.slice", "e2", "k"));
        List<SafeEvent> events = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
          events.add(
              SafeEvent.builder(
                      startNs + i * 1_000L,
                      EventType.SENDTO,
                      i % 4 == 0 ? TOKEN : "p_keep0002",
                      "k")
                  .durationNs(1_000 + i)
                  .bytes(i)
                  .peerHash("peer")
                  .build());
        }
        writer.onEvents(events);
        writer.finish(
            new CaptureSummary(
                "c-cli",
                Instant.ofEpochSecond(0, startNs),
                Instant.now(),
                List.of("t"),
                1_000,
                0,
                "k",
                0));
      }
      store.exportParquet(
          export, dev.tracefix.capture.privacy.keys.KeyStore.current(dir.resolve("keys")));
    }
  }

  @AfterEach
  void closeAllocator() {
    allocator.close();
  }

  @Test
  void forgetsATokenInTheDatabaseAndTheExportAndPrintsOnlyItsDigest() throws Exception {
    CliRun run =
        execute("forget", "--db", db.toString(), "--token", TOKEN, "--parquet", export.toString());
    System.out.println("ForgetCommandTest:\n" + run.out());
    assertEquals(0, run.exit(), run.err());
    assertTrue(run.out().contains("forgot token sha256:"), run.out());
    assertTrue(run.out().contains("events                 250 rows"), run.out());
    assertTrue(run.out().contains("parquet:events         250 rows"), run.out());
    assertFalse(run.out().contains(TOKEN), run.out());
    try (EventStore store = EventStore.open(db, allocator);
        Connection c = store.connect();
        Statement s = c.createStatement()) {
      assertEquals(750, count(s, "SELECT count(*) FROM events"));
      assertEquals(
          0, count(s, "SELECT count(*) FROM events WHERE process_token = '" + TOKEN + "'"));
      assertEquals(
          750,
          count(
              s,
              "SELECT count(*) FROM read_parquet('"
                  + export
                  + "/events/**/*.parquet')"
                  + " WHERE process_token <> '"
                  + TOKEN
                  + "'"));
      assertEquals(
          0,
          count(
              s,
              "SELECT count(*) FROM read_parquet('"
                  + export
                  + "/**/*.parquet', union_by_name = true)"
                  + " WHERE process_token = '"
                  + TOKEN
                  + "' OR token = '"
                  + TOKEN
                  + "'"));
      assertEquals(250, count(s, "SELECT sum(rows) FROM deletions WHERE table_name = 'events'"));
    }
  }

  @Test
  void forgetsACaptureAndACgroup() throws Exception {
    CliRun cgroup = execute("forget", "--db", db.toString(), "--cgroup", "/svc.slice/a.scope");
    assertEquals(0, cgroup.exit(), cgroup.err());
    assertTrue(cgroup.out().contains("events                 250 rows"), cgroup.out());
    CliRun capture = execute("forget", "--db", db.toString(), "--capture", "c-cli");
    assertEquals(0, capture.exit(), capture.err());
    assertTrue(capture.out().contains("captures               1 rows"), capture.out());
    assertTrue(capture.out().contains("events                 750 rows"), capture.out());
  }

  @Test
  void noSubjectTwoSubjectsOrAnUnknownCaptureAreUsageErrors() {
    CliRun none = execute("forget", "--db", db.toString());
    assertEquals(2, none.exit());
    assertTrue(none.err().contains("Missing required argument"), none.err());
    CliRun two = execute("forget", "--db", db.toString(), "--token", TOKEN, "--capture", "c-cli");
    assertEquals(2, two.exit());
    assertTrue(two.err().contains("mutually exclusive"), two.err());
    CliRun unknown = execute("forget", "--db", db.toString(), "--capture", "c-nope");
    System.out.println("ForgetCommandTest unknown: " + unknown.err());
    assertEquals(2, unknown.exit());
    assertTrue(unknown.err().contains("no capture c-nope"), unknown.err());
    CliRun badAge =
        execute("forget", "--db", db.toString(), "--token", TOKEN, "--retention", "events=soon");
    assertEquals(2, badAge.exit());
    assertTrue(badAge.err().contains("'soon'"), badAge.err());
    CliRun noDb =
        execute("forget", "--db", dir.resolve("absent.duckdb").toString(), "--token", TOKEN);
    assertEquals(2, noDb.exit());
    assertTrue(noDb.err().contains("no database at"), noDb.err());
    assertFalse(Files.exists(dir.resolve("absent.duckdb")));
  }

  @Test
  void aMistypedTokenIsAnErrorThatDeletesAndRecordsNothing() throws Exception {
    CliRun typo = execute("forget", "--db", db.toString(), "--token", "p_forgetme0010");
    System.out.println("ForgetCommandTest typo: exit " + typo.exit() + ", " + typo.err().strip());
    assertEquals(2, typo.exit(), typo.out() + typo.err());
    assertTrue(typo.err().contains("no rows for that subject"), typo.err());
    assertFalse(typo.err().contains("p_forgetme0010"), "the value is never echoed: " + typo.err());
    CliRun cgroup = execute("forget", "--db", db.toString(), "--cgroup", "/svc.slice/b.scope");
    assertEquals(2, cgroup.exit(), cgroup.out() + cgroup.err());
    assertTrue(cgroup.err().contains("no rows for that subject"), cgroup.err());
    try (EventStore store = EventStore.open(db, allocator);
        Connection c = store.connect();
        Statement s = c.createStatement()) {
      assertEquals(0, count(s, "SELECT count(*) FROM deletions"));
      assertEquals(1_000, count(s, "SELECT count(*) FROM events"));
    }
  }

  private static long count(Statement s, String sql) throws Exception {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static CliRun execute(String... args) {
    return CliRun.of(args);
  }
}
