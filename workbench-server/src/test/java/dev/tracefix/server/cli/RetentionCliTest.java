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
import dev.tracefix.sink.Retention;
import dev.tracefix.sink.StoreOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention deletes only where a user asked for it and says so: {@code capture} and {@code serve}
 * apply it with a printed line, every other command leaves old rows alone, {@code sql} cannot write
 * unless told to, and the shipped recorded example stays usable after its 14 days. "Now" is a clock
 * the test sets, past the example's retention.
 */
class RetentionCliTest {
  /** Three weeks after the recorded example (2026-11-25): past its 14 days of events. */
  private static final Instant LATER = Instant.parse("2026-12-15T12:00:00Z");

  private static final Path EXAMPLE = ProjectPaths.home().resolve("examples/recorded-capture");

  @TempDir Path dir;

  @AfterEach
  void systemClockAgain() {
    Stores.clock = Clock.systemUTC();
  }

  /** A store holding capture {@code c-old}: 1000 events 30 days before {@link #LATER}. */
  private Path storeWithAMonthOldCapture() {
    Path db = dir.resolve("store.duckdb");
    try (RootAllocator allocator = new RootAllocator();
        EventStore store =
            EventStore.open(
                db, allocator, StoreOptions.DEFAULT.withRetention(Retention.KEEP_ALL))) {
      long startNs = LATER.minusSeconds(30L * 86_400).toEpochMilli() * 1_000_000L;
      try (CaptureWriter writer = store.beginCapture("c-old", "host-1", 500)) {
        writer.onProcess(new SafeProcess("p_old0001", "svc", null, "/svc.slice", "e1", "k"));
        List<SafeEvent> events = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
          events.add(
              SafeEvent.builder(startNs + i * 1_000L, EventType.SENDTO, "p_old0001", "k")
                  .durationNs(1_000)
                  .build());
        }
        writer.onEvents(events);
        writer.finish(
            new CaptureSummary(
                "c-old",
                Instant.ofEpochSecond(0, startNs),
                Instant.ofEpochSecond(0, startNs + 2_000_000L),
                List.of("t"),
                1_000,
                0,
                "k",
                0));
      }
    }
    return db;
  }

  private static String sql(Path db, String query) {
    CliRun run = CliRun.of("sql", "--db", db.toString(), "--format", "csv", query);
    assertEquals(0, run.exit(), run.err());
    return run.out().lines().skip(1).findFirst().orElseThrow();
  }

  @Test
  void commandsThatOnlyReadOrMoveDataDeleteNothingOld() throws Exception {
    Stores.clock = Clock.fixed(LATER, ZoneOffset.UTC);
    Path db = storeWithAMonthOldCapture();
    Path notebook = dir.resolve("nb.md");
    Files.writeString(notebook, "# nb\n\n```sql name=n\nSELECT count(*) AS n FROM events\n```\n");
    List<CliRun> runs =
        List.of(
            CliRun.of("sql", "--db", db.toString(), "SELECT count(*) FROM events"),
            CliRun.of("export", "--db", db.toString(), "--parquet", dir.resolve("x").toString()),
            CliRun.of("import", "--db", db.toString(), "--parquet", EXAMPLE.toString()),
            CliRun.of("run", notebook.toString(), "--db", db.toString()),
            CliRun.of("forget", "--db", db.toString(), "--capture", "c-a0ab1555"));
    for (CliRun run : runs) {
      assertEquals(0, run.exit(), run.out() + run.err());
      assertFalse((run.out() + run.err()).contains("retention"), run.out() + run.err());
    }
    assertEquals("1000", sql(db, "SELECT count(*) FROM events"));
    assertEquals("0", sql(db, "SELECT count(*) FROM deletions WHERE subject_kind = 'retention'"));
  }

  @Test
  void sqlOpensReadOnlyUnlessToldToWrite() {
    Path db = storeWithAMonthOldCapture();
    CliRun delete = CliRun.of("sql", "--db", db.toString(), "DELETE FROM events");
    System.out.println("RetentionCliTest read-only: " + delete.err().strip());
    assertEquals(2, delete.exit(), delete.out());
    assertTrue(delete.err().contains("read-only: add --write"), delete.err());
    assertEquals("1000", sql(db, "SELECT count(*) FROM events"));
    CliRun write =
        CliRun.of("sql", "--write", "--db", db.toString(), "DELETE FROM events WHERE bytes < 0");
    assertEquals(0, write.exit(), write.err());
    assertEquals("0 rows affected\n", write.out());
  }

  @Test
  void theRecordedExampleIsExemptAndRetentionSaysWhatItDeleted() throws Exception {
    Stores.clock = Clock.fixed(LATER, ZoneOffset.UTC);
    Path db = storeWithAMonthOldCapture();
    CliRun imported = CliRun.of("import", "--db", db.toString(), "--parquet", EXAMPLE.toString());
    assertEquals(0, imported.exit(), imported.err());
    assertEquals("640", sql(db, "SELECT count(*) FROM events WHERE capture_id = 'c-a0ab1555'"));

    // What capture and serve do when they open a store.
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    try (EventStore store =
        Stores.openApplyingRetention(db, new PrintStream(printed, true, StandardCharsets.UTF_8))) {
      // opened: retention ran once
    }
    String line = printed.toString(StandardCharsets.UTF_8);
    System.out.println("RetentionCliTest: " + line.strip());
    assertEquals("retention: deleted 1000 events older than 14d\n", line);
    assertEquals("640", sql(db, "SELECT count(*) FROM events"));
    assertEquals("c-a0ab1555", sql(db, "SELECT DISTINCT capture_id FROM events"));
  }

  @Test
  void captureAppliesRetentionWithAPrintedLine() throws Exception {
    CliProcess.assumeKernelCapture();
    Stores.clock = Clock.fixed(LATER, ZoneOffset.UTC);
    Path db = storeWithAMonthOldCapture();
    assertEquals(
        0, CliRun.of("import", "--db", db.toString(), "--parquet", EXAMPLE.toString()).exit());
    CliRun capture =
        CliRun.of(
            "capture",
            "--db",
            db.toString(),
            "--keys",
            dir.resolve("keys").toString(),
            "--",
            "sh",
            "-c",
            "exec true");
    assertEquals(0, capture.exit(), capture.err());
    assertTrue(
        capture.err().contains("retention: deleted 1000 events older than 14d"), capture.err());
    assertEquals("0", sql(db, "SELECT count(*) FROM events WHERE capture_id = 'c-old'"));
    assertEquals("640", sql(db, "SELECT count(*) FROM events WHERE capture_id = 'c-a0ab1555'"));
  }

  @Test
  void serveAppliesRetentionWithAPrintedLine() throws Exception {
    // Its own JVM, on the system clock: events of 2026-11-15 are past 14 days from any today
    // since 2026-11-29, when this test was written.
    Path db = storeWithAMonthOldCapture();
    Path notebooks = Files.createDirectories(dir.resolve("notebooks"));
    try (CliProcess serve =
        CliProcess.start(
            dir,
            "serve",
            "--db",
            db.toString(),
            "--notebooks",
            notebooks.toString(),
            "--port",
            "0")) {
      String line = serve.awaitErrLine(l -> l.startsWith("retention: "), "its retention line");
      System.out.println("RetentionCliTest serve: " + line);
      assertEquals("retention: deleted 1000 events older than 14d", line);
    }
  }
}
