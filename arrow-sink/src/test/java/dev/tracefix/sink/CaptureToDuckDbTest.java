package dev.tracefix.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tracefix.capture.Capture;
import dev.tracefix.capture.CaptureConfig;
import dev.tracefix.capture.CaptureSummary;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real eBPF capture of a real workload, stored through Arrow into DuckDB. */
class CaptureToDuckDbTest {
  private static final int SENDTO_CALLS = 2_000;
  private static final String WORKLOAD = "tfsendto";

  @TempDir Path tmp;

  @Test
  void storesExactlyTheWorkloadsSendtoCallsAndNoRawIdentity() throws Exception {
    requireCapture();
    Path workload = compileWorkload();
    Path pidFile = tmp.resolve("workload.pid");
    Path db = tmp.resolve("e2e.duckdb");
    String captureId = "e2e-" + UUID.randomUUID();

    CaptureSummary summary;
    try (RootAllocator allocator = new RootAllocator();
        EventStore store = EventStore.open(db, allocator)) {
      try (CaptureWriter writer = store.beginCapture(captureId, "e2e-host")) {
        summary =
            Capture.run(
                new CaptureConfig(
                    Duration.ofSeconds(60),
                    OptionalInt.empty(),
                    List.of(
                        workload.toString(), Integer.toString(SENDTO_CALLS), pidFile.toString()),
                    tmp.resolve("keys")),
                writer);
        writer.finish(summary);
      }
      assertEquals(0, summary.commandExitCode(), "the workload failed");
      String pid = Files.readString(pidFile).strip();
      System.out.printf(
          "capture %s: %d events, %d drops, probes %s%n",
          captureId, summary.eventCount(), summary.dropCount(), summary.probes());

      try (Connection c = store.connect();
          Statement s = c.createStatement()) {
        assertEquals(
            (long) SENDTO_CALLS,
            EventStoreTest.single(
                s,
                "SELECT count(*) FROM events e JOIN processes p"
                    + " ON p.capture_id = e.capture_id AND p.token = e.process_token"
                    + " WHERE e.type = 'sendto' AND p.comm = '"
                    + WORKLOAD
                    + "' AND e.capture_id = '"
                    + captureId
                    + "'"));
        assertEquals(
            (long) SENDTO_CALLS,
            EventStoreTest.single(
                s, "SELECT count(*) FROM sendto_calls WHERE comm = '" + WORKLOAD + "'"));
        assertEquals(
            0L,
            EventStoreTest.single(
                s, "SELECT drop_count FROM captures WHERE capture_id = '" + captureId + "'"));
        assertEquals(
            summary.eventCount(),
            EventStoreTest.single(s, "SELECT count(*) FROM events"),
            "every delivered event is stored");
        List<String> leaks = textColumnsContaining(s, pid);
        assertTrue(leaks.isEmpty(), "raw pid or address stored in " + leaks);
      }
    }
    // Closed: everything is checkpointed into the file itself, which is what could be shipped.
    byte[] bytes = Files.readAllBytes(db);
    assertTrue(
        indexOf(bytes, "127.0.0.1".getBytes(StandardCharsets.US_ASCII)) < 0,
        "the raw address is in the DuckDB file bytes");
    String pid = Files.readString(pidFile).strip();
    String latin = new String(bytes, StandardCharsets.ISO_8859_1);
    assertTrue(
        !Pattern.compile("(?<![0-9A-Za-z])" + pid + "(?![0-9A-Za-z])").matcher(latin).find(),
        "the raw pid " + pid + " appears as text in the DuckDB file bytes");
  }

  /** Every VARCHAR or VARCHAR[] column value holding the address or the pid as a whole word. */
  private static List<String> textColumnsContaining(Statement s, String pid) throws SQLException {
    List<String[]> columns = new ArrayList<>();
    try (ResultSet rs =
        s.executeQuery(
            "SELECT table_name, column_name FROM information_schema.columns"
                + " WHERE table_schema = 'main' AND data_type IN ('VARCHAR', 'VARCHAR[]')")) {
      while (rs.next()) {
        columns.add(new String[] {rs.getString(1), rs.getString(2)});
      }
    }
    assertTrue(columns.size() >= 12, "scanned too few text columns: " + columns.size());
    List<String> hits = new ArrayList<>();
    for (String[] column : columns) {
      String value = "CAST(\"" + column[1] + "\" AS VARCHAR)";
      long count =
          (Long)
              EventStoreTest.single(
                  s,
                  "SELECT count(*) FROM \""
                      + column[0]
                      + "\" WHERE contains("
                      + value
                      + ", '127.0.0.1') OR regexp_matches("
                      + value
                      + ", '(^|[^0-9A-Za-z])"
                      + pid
                      + "([^0-9A-Za-z]|$)')");
      if (count > 0) {
        hits.add(column[0] + "." + column[1] + " (" + count + " rows)");
      }
    }
    return hits;
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
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

  private Path compileWorkload() throws IOException, InterruptedException {
    Path source = tmp.resolve(WORKLOAD + ".c");
    try (InputStream in = getClass().getResourceAsStream("/e2e/" + WORKLOAD + ".c")) {
      Files.copy(in, source);
    }
    Path binary = tmp.resolve(WORKLOAD);
    Process gcc =
        new ProcessBuilder("gcc", "-O1", "-Wall", "-o", binary.toString(), source.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, gcc.waitFor(), "gcc failed to build the workload:\n" + output);
    return binary;
  }
}
