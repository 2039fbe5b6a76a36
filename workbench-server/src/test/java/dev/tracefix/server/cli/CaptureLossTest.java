package dev.tracefix.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A capture whose spool disk is full: the captures row counts what was stored (the rows in {@code
 * events}), not what was captured, and says what was lost and why. The spool lives on a full 1 MiB
 * tmpfs (the database beside it on the normal disk), so every batch fails to spool.
 */
class CaptureLossTest {
  @TempDir Path dir;
  private Path mounted;

  @AfterEach
  void unmount() throws Exception {
    if (mounted != null) {
      new ProcessBuilder("umount", mounted.toString()).inheritIO().start().waitFor();
    }
  }

  @Test
  void afterADiskFullCaptureTheRowSaysWhatWasStoredAndWhatWasLostAndWhy() throws Exception {
    Path db = fullSpoolDisk();

    CliRun capture =
        CliRun.of(
            "capture",
            "--db",
            db.toString(),
            "--keys",
            dir.resolve("keys").toString(),
            "--probes",
            "full", // every write streamed: enough rows to fill the disk
            "--",
            "dd",
            "if=/dev/zero",
            "of=/dev/null",
            "bs=1",
            "count=20000");
    System.out.println("CaptureLossTest: exit " + capture.exit() + "\n" + capture.err());
    assertEquals(2, capture.exit(), capture.out() + capture.err());
    assertTrue(capture.err().contains("No space left on device"), capture.err());
    assertTrue(
        capture.err().matches("(?s).*capture c-[0-9a-f]{8} stored \\d+ events; .*"), capture.err());

    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db);
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT c.event_count, (SELECT count(*) FROM events e"
                    + " WHERE e.capture_id = c.capture_id), c.drop_count, c.loss,"
                    + " (SELECT sum(dropped) FROM capture_stats st"
                    + " WHERE st.capture_id = c.capture_id AND st.type = 'syscall')"
                    + " FROM captures c")) {
      assertTrue(r.next(), "no captures row");
      System.out.printf(
          "CaptureLossTest row: event_count %d, events rows %d, drop_count %d, syscall dropped %d,"
              + " loss %s%n",
          r.getLong(1), r.getLong(2), r.getLong(3), r.getLong(5), r.getString(4));
      assertEquals(r.getLong(2), r.getLong(1), "event_count is the rows the events table holds");
      assertTrue(
          r.getLong(3) >= 40_000, "dd's 40000 read/write syscalls were lost: " + r.getLong(3));
      assertTrue(r.getString(4).contains("on failed spool writes"), r.getString(4));
      assertTrue(r.getString(4).contains("No space left on device"), r.getString(4));
    }
  }

  /**
   * Space comes back during the capture (the filler is deleted a second in): batches spool and
   * store again, and every event is either stored or counted as lost, none both, none neither.
   */
  @Test
  void aCaptureStoresAgainWhenSpaceReturnsAndCountsEveryEventOnce() throws Exception {
    Path db = fullSpoolDisk();
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
            // Two seconds of syscalls on a full disk, then the workload itself frees the space
            // (so the capture is surely running when it does) and goes on for two more.
            "for i in $(seq 20); do dd if=/dev/zero of=/dev/null bs=1 count=100 2>/dev/null;"
                + " sleep 0.1; done; rm "
                + mounted.resolve("filler")
                + "; for i in $(seq 20);"
                + " do dd if=/dev/zero of=/dev/null bs=1 count=100 2>/dev/null; sleep 0.1; done");
    System.out.println(
        "CaptureLossTest (space returns): exit " + capture.exit() + "\n" + capture.err());
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db);
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT (SELECT count(*) FROM events), c.event_count, c.drop_count,"
                    + " (SELECT sum(produced) FROM capture_stats WHERE type IN "
                    + STORED_TYPES
                    + "),"
                    + " (SELECT sum(stored) FROM capture_stats WHERE type IN "
                    + STORED_TYPES
                    + "),"
                    + " (SELECT sum(dropped) FROM capture_stats WHERE type IN "
                    + STORED_TYPES
                    + "),"
                    + " c.loss FROM captures c")) {
      assertTrue(r.next(), "no captures row");
      System.out.printf(
          "CaptureLossTest space returns: rows %d, event_count %d, drop_count %d, produced %d,"
              + " stored %d, dropped %d, loss %s%n",
          r.getLong(1),
          r.getLong(2),
          r.getLong(3),
          r.getLong(4),
          r.getLong(5),
          r.getLong(6),
          r.getString(7));
      try (Statement t = c.createStatement();
          ResultSet types =
              t.executeQuery(
                  "SELECT st.type, st.produced, st.stored, st.dropped, (SELECT count(*) FROM events"
                      + " e WHERE e.type = st.type) FROM capture_stats st ORDER BY 1")) {
        while (types.next()) {
          System.out.printf(
              "  %s produced %d stored %d dropped %d rows %d%n",
              types.getString(1),
              types.getLong(2),
              types.getLong(3),
              types.getLong(4),
              types.getLong(5));
        }
      }
      assertTrue(r.getLong(1) > 0, "events stored after space came back");
      assertTrue(r.getLong(3) > 0, "events lost while the disk was full");
      assertEquals(r.getLong(1), r.getLong(2), "event_count is the rows stored");
      assertEquals(r.getLong(4), r.getLong(5) + r.getLong(6), "produced = stored + dropped");
      assertEquals(r.getLong(1), r.getLong(5), "stored per type adds up to the rows");
    }
  }

  /**
   * {@code /metrics} while the spool disk is full says so ({@code tracefix_spool_failing 1}, failed
   * events counting up), and says it is over once the test frees the space.
   */
  @Test
  void metricsShowTheFullDiskWhileItLastsAndItsEnd() throws Exception {
    Path db = fullSpoolDisk();
    Path stop = dir.resolve("stop");
    String workload =
        "while [ ! -e "
            + stop
            + " ]; do dd if=/dev/zero of=/dev/null bs=1 count=100 2>/dev/null; sleep 0.05; done";
    try (CliProcess cli =
        CliProcess.start(
            dir,
            "capture",
            "--db",
            db.toString(),
            "--keys",
            dir.resolve("keys").toString(),
            "--duration",
            "120s",
            "--metrics",
            "0",
            "--",
            "sh",
            "-c",
            workload)) {
      String urlLine = cli.awaitErrLine(l -> l.contains("metrics at http://"), "the metrics URL");
      java.net.URI url = java.net.URI.create(urlLine.substring(urlLine.indexOf("http://")).strip());
      java.util.Map<String, Double> full =
          scrapeUntil(url, m -> m.get("tracefix_spool_failing") == 1.0, "the full disk");
      assertTrue(full.get("tracefix_spool_failed_events_total") > 0, full.toString());
      Files.delete(mounted.resolve("filler"));
      java.util.Map<String, Double> freed =
          scrapeUntil(url, m -> m.get("tracefix_spool_failing") == 0.0, "space returned");
      System.out.printf(
          "CaptureLossTest /metrics: while full failing=1 failed_events=%.0f; after freeing"
              + " failing=0 failed_events=%.0f%n",
          full.get("tracefix_spool_failed_events_total"),
          freed.get("tracefix_spool_failed_events_total"));
      assertTrue(
          freed.get("tracefix_spool_failed_events_total")
              >= full.get("tracefix_spool_failed_events_total"),
          "a counter never falls");
      Files.createFile(stop);
      cli.awaitExit();
      try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db);
          Statement s = c.createStatement();
          ResultSet r = s.executeQuery("SELECT drop_count, loss FROM captures")) {
        assertTrue(r.next(), "no captures row");
        assertTrue(
            r.getLong(1) >= freed.get("tracefix_spool_failed_events_total"),
            "the row counts at least what the metrics showed lost: " + r.getString(2));
        assertTrue(r.getString(2).contains("No space left on device"), r.getString(2));
      }
    }
  }

  /** Scrapes {@code /metrics} until {@code done} holds; a liveness bound, not a timing claim. */
  private static java.util.Map<String, Double> scrapeUntil(
      java.net.URI url,
      java.util.function.Predicate<java.util.Map<String, Double>> done,
      String what)
      throws Exception {
    var http = java.net.http.HttpClient.newHttpClient();
    for (int i = 0; i < 300; i++) {
      var response =
          http.send(
              java.net.http.HttpRequest.newBuilder(url).GET().build(),
              java.net.http.HttpResponse.BodyHandlers.ofString());
      assertEquals(200, response.statusCode());
      java.util.Map<String, Double> samples = new java.util.HashMap<>();
      for (String line : response.body().lines().toList()) {
        if (!line.startsWith("#") && !line.isBlank()) {
          int space = line.lastIndexOf(' ');
          samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
      }
      if (done.test(samples)) {
        return samples;
      }
      Thread.sleep(200); // pacing between scrapes
    }
    throw new AssertionError("/metrics never showed " + what);
  }

  /**
   * The capture_stats rows of event types; the kernel's exec, exit and fork records have rows of
   * their own (counted where the ring delivers them) besides the process_* events they become.
   */
  private static final String STORED_TYPES = "(SELECT DISTINCT type FROM events)";

  /** A database on the normal disk whose spool folder is on a full 1 MiB tmpfs. */
  private Path fullSpoolDisk() throws Exception {
    CliProcess.assumeKernelCapture();
    mounted = Files.createDirectories(dir.resolve("small-disk"));
    int rc =
        new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mounted.toString())
            .inheritIO()
            .start()
            .waitFor();
    if (rc != 0) {
      mounted = null;
      assertTrue(!"true".equals(System.getenv("CI")), "CI runs as root: mount must work");
      assumeTrue(false, "mount -t tmpfs failed with " + rc);
    }
    try (RandomAccessFile filler = new RandomAccessFile(mounted.resolve("filler").toFile(), "rw")) {
      filler.setLength(1024 * 1024);
      filler.write(new byte[1024 * 1024]); // tmpfs allocates on write
    } catch (java.io.IOException full) {
      // Expected: the disk is now full.
    }
    Path db = dir.resolve("c.duckdb");
    Files.createDirectories(mounted.resolve("spool"));
    Files.createSymbolicLink(dir.resolve("c.duckdb.spool"), mounted.resolve("spool"));
    return db;
  }
}
