package dev.tracefix.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracefix.capture.privacy.recognize.PlantedSecrets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tracefix import --jfr} on the recording of a real JVM that put the planted secrets in
 * thread names, exception messages, file names, socket host names, a system property, an
 * environment variable and its arguments.
 */
class ImportJfrCliTest {
  @TempDir static Path dir;
  static Path recording;
  static Path db;
  static Path keys;
  static CliRun imported;
  static final List<String> VALUES =
      PlantedSecrets.all().stream().map(PlantedSecrets::value).toList();

  @BeforeAll
  static void recordAndImport() throws Exception {
    recording = dir.resolve("service.jfr");
    Path work = Files.createDirectories(dir.resolve("work"));
    RecordedService.record(
        work,
        recording,
        List.of(
            "-Ddb.password=password=" + PlantedSecrets.PASSWORD,
            "-Duser.mail=" + PlantedSecrets.EMAIL),
        VALUES);
    db = dir.resolve("jvm.duckdb");
    keys = dir.resolve("keys");
    imported =
        CliRun.of(
            "import",
            "--jfr",
            recording.toString(),
            "--db",
            db.toString(),
            "--keys",
            keys.toString());
  }

  @Test
  void everyPlantedActionOfTheServiceIsStoredByTypeWithTokensAndStacks() throws Exception {
    assertEquals(0, imported.exit(), imported.err());
    int n = VALUES.size();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db);
        Statement s = c.createStatement()) {
      Map<String, Long> byType = new TreeMap<>();
      try (ResultSet rs =
          s.executeQuery("SELECT type, count(*) FROM jvm_events GROUP BY type ORDER BY type")) {
        while (rs.next()) {
          byType.put(rs.getString(1), rs.getLong(2));
        }
      }
      System.out.println("ImportJfrCliTest: jvm_events by type " + byType);
      long planted =
          count(
              s,
              "SELECT count(*) FROM jvm_events WHERE type = 'jdk.JavaExceptionThrow'"
                  + " AND message LIKE 'lookup failed for %' AND object_class = 'java.lang.IllegalStateException'");
      assertEquals(n, planted, "one thrown exception per planted value");
      assertTrue(
          count(
                  s,
                  "SELECT count(DISTINCT thread_token) FROM jvm_events WHERE type = 'jdk.JavaExceptionThrow'"
                      + " AND message LIKE 'lookup failed for %'")
              == n,
          "each on its own thread");
      assertTrue(
          count(
                  s,
                  "SELECT count(*) FROM jvm_events WHERE type = 'jdk.SocketWrite' AND bytes > 0"
                      + " AND peer_hash LIKE 'a\\_%' ESCAPE '\\' AND remote_host LIKE 'h\\_%' ESCAPE '\\'")
              >= n,
          "a socket write per value, with a peer hash and a hashed host: " + byType);
      assertTrue(
          count(
                  s,
                  "SELECT count(*) FROM jvm_events WHERE type = 'jdk.FileWrite' AND path LIKE 'h\\_%' ESCAPE '\\'")
              >= n,
          "a file write per value with its path hashed: " + byType);
      assertTrue(byType.getOrDefault("jdk.SocketRead", 0L) >= n, byType.toString());
      assertTrue(byType.getOrDefault("jdk.ThreadStart", 0L) >= n, byType.toString());
      assertTrue(byType.getOrDefault("jdk.GarbageCollection", 0L) >= 1, byType.toString());
      assertTrue(byType.getOrDefault("jdk.ThreadPark", 0L) >= n, byType.toString());
      assertEquals(
          0,
          count(
              s,
              "SELECT count(*) FROM jvm_events WHERE thread_token IS NOT NULL AND thread_token NOT LIKE 't\\_%' ESCAPE '\\'"));
      assertTrue(
          count(
                  s,
                  "SELECT count(*) FROM jvm_events e JOIN stacks k ON k.stack_id = e.stack_id"
                      + " AND k.capture_id = e.capture_id WHERE e.type = 'jdk.JavaExceptionThrow'"
                      + " AND array_to_string(k.frames, '|') LIKE '%java!PlantedService.work%'")
              >= n,
          "thrown exceptions have their Java stacks");
      assertEquals(
          1,
          count(
              s, "SELECT count(*) FROM captures WHERE probes = ['jfr'] AND ended_at IS NOT NULL"));
      assertEquals(1, count(s, "SELECT count(DISTINCT process_token) FROM jvm_events"));
    }
    assertTrue(imported.out().contains("jdk.JavaExceptionThrow"), imported.out());
  }

  @Test
  void noPlantedValueReachesTheStoreTheExportOrTheOutput() throws Exception {
    assertEquals(0, imported.exit(), imported.err());
    Path export = dir.resolve("export");
    CliRun exported =
        CliRun.of(
            "export",
            "--db",
            db.toString(),
            "--parquet",
            export.toString(),
            "--keys",
            keys.toString());
    assertEquals(0, exported.exit(), exported.err());
    List<Path> jvmParquet;
    try (Stream<Path> files = Files.walk(export.resolve("jvm_events"))) {
      jvmParquet = files.filter(f -> f.toString().endsWith(".parquet")).toList();
    }
    assertTrue(!jvmParquet.isEmpty(), "jvm_events is exported");
    String exportedText = StoredText.ofExport(export);
    long exportedRows = exportedText.lines().filter(l -> l.contains("\t")).count();
    StringBuilder everything = new StringBuilder(StoredText.ofStore(db)).append(exportedText);
    everything
        .append(imported.out())
        .append(imported.err())
        .append(exported.out())
        .append(exported.err());
    List<String> leaks = PlantedSecrets.foundIn(everything.toString());
    System.out.printf(
        "ImportJfrCliTest: %d planted values (%d forms, raw and 15-byte prefixes) searched in %d"
            + " stored and exported rows and the CLI output: %d found%n",
        VALUES.size(),
        PlantedSecrets.formCount(),
        everything.toString().lines().count(),
        leaks.size());
    assertEquals(List.of(), leaks);
    assertTrue(exportedRows > 0);
    List<String> inRecording = PlantedSecrets.foundIn(recordedText());
    assertTrue(
        inRecording.size() >= VALUES.size(),
        "the recording itself carries the planted values: " + inRecording);
  }

  @Test
  void aFileThatIsNoRecordingIsRefusedByNameAndStoresNothing() throws Exception {
    Path notJfr = dir.resolve("notes.jfr");
    Files.writeString(notJfr, "not a recording\n");
    Path other = dir.resolve("other.duckdb");
    CliRun run =
        CliRun.of(
            "import",
            "--jfr",
            notJfr.toString(),
            "--db",
            other.toString(),
            "--keys",
            keys.toString());
    assertEquals(2, run.exit(), run.out() + run.err());
    assertTrue(run.err().contains("notes.jfr is not a readable flight recording"), run.err());
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + other);
        Statement s = c.createStatement()) {
      assertEquals(0, count(s, "SELECT count(*) FROM captures"));
      assertEquals(0, count(s, "SELECT count(*) FROM jvm_events"));
    }
    CliRun missingDb = CliRun.of("import", "--jfr", recording.toString());
    assertTrue(
        missingDb.exit() != 0 && missingDb.err().contains("--jfr needs --db"), missingDb.err());
  }

  /** Every event of the recording as the recorder prints it. */
  private static String recordedText() throws Exception {
    StringBuilder text = new StringBuilder();
    try (RecordingFile file = new RecordingFile(recording)) {
      while (file.hasMoreEvents()) {
        text.append(file.readEvent()).append('\n');
      }
    }
    return text.toString();
  }

  private static long count(Statement s, String sql) throws Exception {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
