package dev.tracefix.server.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracefix.capture.CaptureSummary;
import dev.tracefix.capture.EventType;
import dev.tracefix.capture.SafeEvent;
import dev.tracefix.capture.SafeProcess;
import dev.tracefix.server.cli.Main;
import dev.tracefix.sink.CaptureWriter;
import dev.tracefix.sink.EventStore;
import dev.tracefix.sink.Retention;
import dev.tracefix.sink.StoreOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default policy keeps events 14 days; the CLI applies that only where a user asked for it
 * (capture, serve, forget --retention; see RetentionCliTest), never as a side effect of a query.
 */
class PolicyRetentionTest {
  @TempDir Path dir;

  private record Run(int exit, String out, String err) {}

  @Test
  void aQueryKeepsOldEventsAndForgetWithRetentionDeletesThoseOlderThanFourteenDays() {
    Path db = dir.resolve("store.duckdb");
    Instant now = Instant.now();
    try (RootAllocator allocator = new RootAllocator();
        EventStore store =
            EventStore.open(
                db, allocator, StoreOptions.DEFAULT.withRetention(Retention.KEEP_ALL))) {
      try (CaptureWriter writer = store.beginCapture("c-ret", "host-1", 100)) {
        writer.onProcess(new SafeProcess("p_ret0001", "svc", null, "/svc.slice", "e1", "k"));
        List<SafeEvent> events = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
          Instant at = now.minus(Duration.ofDays(i < 10 ? 20 : 1)).plusSeconds(i);
          events.add(
              SafeEvent.builder(nanos(at), EventType.SENDTO, "p_ret0001", "k")
                  .durationNs(10)
                  .bytes(1)
                  .peerHash("a")
                  .build());
        }
        writer.onEvents(events);
        writer.finish(
            new CaptureSummary(
                "c-ret", now.minus(Duration.ofDays(20)), now, List.of("t"), 30, 0, "k", 0));
      }
    }

    Run run =
        execute(
            "sql",
            "--db",
            db.toString(),
            "--format",
            "csv",
            "SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM captures),"
                + " (SELECT count(*) FROM deletions WHERE subject_kind = 'retention')");
    System.out.println("PolicyRetentionTest sql:\n" + run.out());
    assertEquals(0, run.exit(), run.err());
    assertEquals(
        "30,1,0",
        run.out().strip().lines().reduce((a, b) -> b).orElseThrow(),
        "a query deletes nothing: " + run.out());

    Run forget =
        execute(
            "forget", "--db", db.toString(), "--token", "p_ret0001", "--retention", "events=14d");
    System.out.println("PolicyRetentionTest forget:\n" + forget.out());
    assertEquals(0, forget.exit(), forget.err());
    assertTrue(
        forget.out().startsWith("retention: deleted 10 events older than 14d\n"), forget.out());
    Run audit =
        execute(
            "sql",
            "--db",
            db.toString(),
            "--format",
            "csv",
            "SELECT string_agg(subject_digest, ',') FROM deletions WHERE subject_kind = 'retention'");
    assertTrue(audit.out().contains("events>PT336H"), audit.out());
  }

  @Test
  void policyExplainStatesTheRetentionWithItsLine() {
    Run run = execute("policy", "explain");
    assertEquals(0, run.exit(), run.err());
    assertTrue(
        run.out().matches("(?s).*\\n  events +deleted after 14d  \\(line \\d+\\)\\n.*"), run.out());
    assertTrue(
        run.out().matches("(?s).*\\n  captures +deleted after 90d  \\(line \\d+\\)\\n.*"),
        run.out());
  }

  private static long nanos(Instant at) {
    return at.getEpochSecond() * 1_000_000_000L + at.getNano();
  }

  private static Run execute(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      int exit = Main.commandLine().execute(args);
      return new Run(
          exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }
}
