package dev.tracefix.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracefix.sink.spool.RecoveryReport;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills an ingesting JVM with SIGKILL at random moments and reopens the store each time: every
 * batch the child acknowledged must be in the database exactly once. {@code -Dtracefix.killRuns}
 * sets the number of runs (bench/store-crash.sh uses 100).
 */
class SpoolCrashTest {
  /** Fixture events are dated January 2026: keep them whatever today is. */
  private static final dev.tracefix.sink.StoreOptions KEEP_ALL_RETENTION =
      dev.tracefix.sink.StoreOptions.DEFAULT.withRetention(dev.tracefix.sink.Retention.KEEP_ALL);

  @TempDir Path tmp;

  record Ack(String id, String table, long rows, long minNs, long maxNs) {}

  @Test
  void everyAcknowledgedBatchSurvivesSigkillExactlyOnce() throws Exception {
    int runs = Integer.getInteger("tracefix.killRuns", 20);
    long seed = Long.getLong("tracefix.killSeed", System.nanoTime());
    SplittableRandom random = new SplittableRandom(seed);
    Path db = tmp.resolve("crash.duckdb");
    long totalAcks = 0;
    long totalRows = 0;
    long recoveredSegments = 0;
    long alreadyStored = 0;
    long quarantined = 0;
    List<Long> delays = new ArrayList<>();
    for (int run = 0; run < runs; run++) {
      String captureId = "kill-" + run;
      long delayMs = 300 + random.nextLong(2_200);
      delays.add(delayMs);
      List<Ack> acks = killAfter(db, captureId, delayMs);
      try (RootAllocator allocator = new RootAllocator();
          EventStore store = EventStore.open(db, allocator, KEEP_ALL_RETENTION);
          Connection c = store.connect();
          Statement s = c.createStatement()) {
        RecoveryReport report = store.recovery();
        recoveredSegments += report.ingested();
        alreadyStored += report.alreadyStored();
        quarantined += report.quarantined().size();
        report
            .quarantined()
            .forEach(q -> assertTrue(q.reason().contains("unfinished"), q::message));
        for (Ack ack : acks) {
          try (PreparedStatement ledger =
              c.prepareStatement("SELECT count(*) FROM spool_segments WHERE segment_id = ?")) {
            ledger.setString(1, ack.id());
            assertEquals(1L, scalar(ledger), "run " + run + ": ledger entry of " + ack);
          }
          if (ack.table().equals("events")) {
            try (PreparedStatement rows =
                c.prepareStatement(
                    "SELECT count(*) FROM events WHERE capture_id = ?"
                        + " AND epoch_ns(time) BETWEEN ? AND ?")) {
              rows.setString(1, captureId);
              rows.setLong(2, ack.minNs());
              rows.setLong(3, ack.maxNs());
              assertEquals(ack.rows(), scalar(rows), "run " + run + ": rows of " + ack);
            }
            totalRows += ack.rows();
          }
        }
        try (ResultSet rs =
            s.executeQuery("SELECT count(*) - count(DISTINCT (capture_id, time)) FROM events")) {
          rs.next();
          assertEquals(0L, rs.getLong(1), "run " + run + ": duplicated events");
        }
        totalAcks += acks.size();
      }
    }
    System.out.printf(
        "SpoolCrashTest: %d SIGKILL runs (seed %d, delays %s ms), %d acknowledged segments"
            + " (%d event rows) all present exactly once; recovery ingested %d segments, found %d"
            + " already stored, quarantined %d unfinished writes%n",
        runs, seed, delays, totalAcks, totalRows, recoveredSegments, alreadyStored, quarantined);
    assertTrue(totalAcks > 0, "the child acknowledged nothing: it never got to ingest");
  }

  private static List<Ack> killAfter(Path db, String captureId, long delayMs) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    Process child =
        new ProcessBuilder(
                java,
                "--enable-native-access=ALL-UNNAMED",
                "--add-opens=java.base/java.nio=ALL-UNNAMED",
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                CrashingIngestMain.class.getName(),
                db.toString(),
                captureId)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    List<Ack> acks = new CopyOnWriteArrayList<>();
    java.util.concurrent.CountDownLatch ready = new java.util.concurrent.CountDownLatch(1);
    Thread reader =
        Thread.ofPlatform()
            .start(
                () -> {
                  try (BufferedReader in =
                      new BufferedReader(
                          new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                      String[] f = line.split(" ");
                      if (f[0].equals("ready")) {
                        ready.countDown();
                      }
                      if (f[0].equals("ack") && f.length == 6) {
                        acks.add(
                            new Ack(
                                f[1],
                                f[2],
                                Long.parseLong(f[3]),
                                Long.parseLong(f[4]),
                                Long.parseLong(f[5])));
                      }
                    }
                  } catch (java.io.IOException ignored) {
                    // The pipe closes when the child dies.
                  }
                });
    // The kill delay counts from when the child ingests, not from its start: a JVM start takes
    // seconds on a loaded machine, and a kill before "ready" would test nothing.
    assertTrue(ready.await(120, TimeUnit.SECONDS), "the ingesting child never became ready");
    boolean exited = child.waitFor(delayMs, TimeUnit.MILLISECONDS);
    assertTrue(
        !exited, "the ingesting child exited by itself with " + (exited ? child.exitValue() : 0));
    child.destroyForcibly(); // SIGKILL on Linux
    child.waitFor();
    reader.join();
    return acks;
  }

  private static long scalar(PreparedStatement statement) throws Exception {
    try (ResultSet rs = statement.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
