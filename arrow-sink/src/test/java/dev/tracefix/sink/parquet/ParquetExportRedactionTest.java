package dev.tracefix.sink.parquet;

import static dev.tracefix.capture.privacy.recognize.PlantedSecrets.AWS_KEY_ID;
import static dev.tracefix.capture.privacy.recognize.PlantedSecrets.BEARER_SECRET;
import static dev.tracefix.capture.privacy.recognize.PlantedSecrets.CARD;
import static dev.tracefix.capture.privacy.recognize.PlantedSecrets.CARD_DASHED;
import static dev.tracefix.capture.privacy.recognize.PlantedSecrets.EMAIL;
import static dev.tracefix.capture.privacy.recognize.PlantedSecrets.JWT;
import static dev.tracefix.capture.privacy.recognize.PlantedSecrets.PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracefix.capture.privacy.recognize.PlantedSecrets;
import dev.tracefix.sink.EventStore;
import dev.tracefix.sink.ExportResult;
import dev.tracefix.sink.Retention;
import dev.tracefix.sink.StoreOptions;
import dev.tracefix.sink.TestKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets planted in every text column kind of a real store (captures, processes, events, stacks,
 * trigger firings, capture stats; scalars and lists) must not reach any Parquet file, decoded or
 * raw, nor any folder name; values already redacted pass unchanged.
 */
class ParquetExportRedactionTest {
  /** A host name the IPv4 recognizer fires on, and one an AWS key id is part of. */
  private static final String IP_HOST = "10.20.30.40";

  private static final String KEY_HOST = "db-" + AWS_KEY_ID;
  private static final String PLACEHOLDER = "<EMAIL:3f9a1c2b>";
  private static final String TOKEN = "p_0123456789abcdef";

  @TempDir Path tmp;
  private RootAllocator allocator;

  @BeforeEach
  void openAllocator() {
    allocator = new RootAllocator();
  }

  @AfterEach
  void closeAllocatorRevealingLeaks() {
    allocator.close();
  }

  private EventStore open(Path db) {
    return EventStore.open(db, allocator, StoreOptions.DEFAULT.withRetention(Retention.KEEP_ALL));
  }

  @Test
  void noPlantedSecretReachesAParquetFileOrAFolderName() throws Exception {
    Path export = tmp.resolve("export");
    ExportResult result;
    List<String> inStore = new ArrayList<>();
    try (EventStore store = open(tmp.resolve("store.duckdb"))) {
      plant(store);
      result = store.exportParquet(export, TestKeys.KEY);
      // The control: the same scan finds every planted secret in the store's own tables.
      try (Connection c = store.connect()) {
        for (String table :
            List.of(
                "captures", "processes", "events", "stacks", "trigger_firings", "capture_stats")) {
          inStore.addAll(PlantedSecrets.foundIn(decodedQuery(c, "SELECT * FROM " + table)));
        }
      }
    }
    for (PlantedSecrets p : PlantedSecrets.all()) {
      assertTrue(inStore.contains(p.type() + " " + p.secret()), "control lacks " + p);
    }
    Map<String, List<String>> found = new LinkedHashMap<>();
    List<Path> files = files(export);
    StringBuilder paths = new StringBuilder();
    for (Path f : files) {
      paths.append(export.relativize(f)).append('\n');
    }
    found.put("partition paths", PlantedSecrets.foundIn(paths.toString()));
    try (Connection c = java.sql.DriverManager.getConnection("jdbc:duckdb:")) {
      for (Path f : files) {
        found.put(export.relativize(f) + " decoded", PlantedSecrets.foundIn(decoded(c, f)));
        found.put(
            export.relativize(f) + " bytes",
            PlantedSecrets.foundIn(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)));
      }
    }
    long leaks = found.values().stream().mapToLong(List::size).sum();
    System.out.printf(
        "ParquetExportRedactionTest: %d planted values (%d forms) in 6 tables, control: %d"
            + " found in the store; %d files; %d distinct values redacted (%s); planted forms"
            + " found in the export: %d%n",
        PlantedSecrets.all().size(),
        PlantedSecrets.formCount(),
        inStore.size(),
        files.size(),
        result.changedValues(),
        result.replacementSummary(),
        leaks);
    found.forEach((channel, hits) -> System.out.printf("  %-70s %d%n", channel, hits.size()));
    assertTrue(files.size() >= 6, "a file per table: " + files);
    found.forEach((channel, hits) -> assertEquals(List.of(), hits, channel));
    for (String type : List.of("JWT", "AUTH", "SECRET", "EMAIL", "CARD", "AWS_KEY_ID", "IPV4")) {
      // Host names pass the identity rule, whose counts read identity:TYPE.
      long replaced =
          result.replacements().getOrDefault(type, 0L)
              + result.replacements().getOrDefault("identity:" + type, 0L);
      assertTrue(replaced > 0, type + ": " + result);
    }
  }

  @Test
  void hostNamesTheRecognizersFireOnBecomeOneKeyedTokenInFoldersAndColumns() throws Exception {
    Path export = tmp.resolve("export");
    try (EventStore store = open(tmp.resolve("store.duckdb"))) {
      plant(store);
      store.exportParquet(export, TestKeys.KEY);
      try (Connection c = store.connect();
          Statement s = c.createStatement()) {
        Map<String, String> hostOf = new LinkedHashMap<>();
        try (ResultSet rs =
            s.executeQuery(
                "SELECT capture_id, host FROM read_parquet('"
                    + export
                    + "/captures/**/*.parquet') ORDER BY capture_id")) {
          while (rs.next()) {
            hostOf.put(rs.getString(1), rs.getString(2));
          }
        }
        assertEquals("node-a", hostOf.get("cap-plain"), "an ordinary host name stays");
        String ipToken = hostOf.get("cap-ip");
        String keyToken = hostOf.get("cap-key");
        assertTrue(ipToken.matches("host-[0-9a-f]{12}"), ipToken);
        assertTrue(keyToken.matches("host-[0-9a-f]{12}"), keyToken);
        assertTrue(!ipToken.equals(keyToken));
        // The events' host= folders carry the same tokens as the captures rows.
        assertTrue(
            Files.isDirectory(
                export.resolve("events/date=2026-01-01/host=" + ipToken + "/capture=cap-ip")),
            String.join("\n", files(export).stream().map(Path::toString).toList()));
        assertEquals(
            0L,
            single(
                s,
                "SELECT count(*) FROM read_parquet('"
                    + export
                    + "/events/**/*.parquet', hive_partitioning = true) e JOIN read_parquet('"
                    + export
                    + "/captures/**/*.parquet') c USING (capture_id) WHERE e.host <> c.host"));
      }
    }
  }

  @Test
  void valuesAlreadyRedactedAndListOrderPassUnchanged() throws Exception {
    Path export = tmp.resolve("export");
    try (EventStore store = open(tmp.resolve("store.duckdb"))) {
      plant(store);
      store.exportParquet(export, TestKeys.KEY);
      try (Connection c = store.connect();
          Statement s = c.createStatement()) {
        String processes = "read_parquet('" + export + "/processes/**/*.parquet')";
        assertEquals(
            PLACEHOLDER,
            single(s, "SELECT comm FROM " + processes + " WHERE token = '" + TOKEN + "'"));
        assertEquals(
            "password=<SECRET:0a1b2c3d>",
            single(s, "SELECT cgroup FROM " + processes + " WHERE token = '" + TOKEN + "'"));
        String stacks = "read_parquet('" + export + "/stacks/**/*.parquet')";
        List<Object> frames = list(s, "SELECT frames FROM " + stacks + " WHERE stack_id = 1");
        assertEquals(5, frames.size(), frames.toString());
        assertEquals("main", frames.get(0));
        assertTrue(String.valueOf(frames.get(1)).matches("<EMAIL:[0-9a-f]{8}>"), frames.toString());
        assertEquals(null, frames.get(2));
        assertEquals("libc.so.6!write+0x14", frames.get(3));
        assertTrue(String.valueOf(frames.get(4)).startsWith("login <JWT:"), frames.toString());
        assertEquals(List.of(), list(s, "SELECT frames FROM " + stacks + " WHERE stack_id = 2"));
        assertEquals(null, single(s, "SELECT frames FROM " + stacks + " WHERE stack_id = 3"));
      }
    }
  }

  @Test
  void anImportedExportExportsAgainUnchanged() throws Exception {
    Path first = tmp.resolve("first");
    Path second = tmp.resolve("second");
    try (EventStore store = open(tmp.resolve("store.duckdb"))) {
      plant(store);
      store.exportParquet(first, TestKeys.KEY);
    }
    ExportResult again;
    try (EventStore copy = open(tmp.resolve("copy.duckdb"))) {
      copy.importParquet(first);
      again = copy.exportParquet(second, TestKeys.KEY);
    }
    assertEquals(0, again.changedValues(), "redacted values redacted again: " + again);
    assertEquals(relative(first), relative(second));
  }

  @Test
  void millionsOfRowsWithFewDistinctStringsExportQuickly() throws Exception {
    int rows = 1_000_000;
    Path export = tmp.resolve("export");
    try (EventStore store = open(tmp.resolve("big.duckdb"))) {
      try (Connection c = store.connect();
          Statement s = c.createStatement()) {
        s.execute(
            "INSERT INTO captures (capture_id, host, started_at) VALUES"
                + " ('big', 'node-a', TIMESTAMP '2026-01-01 00:00:00')");
        s.execute(
            "INSERT INTO events (capture_id, time, type, process_token, errno_name, symbol)"
                + " SELECT 'big', TIMESTAMP '2026-01-01 00:00:00' + i * INTERVAL 1 MILLISECOND,"
                + " 'syscall', 'p_' || (i % 50), CASE WHEN i % 7 = 0 THEN 'ETIMEDOUT' END,"
                + " CASE i % 4 WHEN 0 THEN 'user ' || '"
                + EMAIL
                + "' WHEN 1 THEN 'password="
                + PASSWORD
                + "' ELSE 'fn_' || (i % 100) END FROM range("
                + rows
                + ") t(i)");
      }
      long started = System.nanoTime();
      ExportResult result = store.exportParquet(export, TestKeys.KEY);
      long millis = (System.nanoTime() - started) / 1_000_000;
      System.out.printf(
          "ParquetExportRedactionTest: %d event rows exported with redaction in %d ms;"
              + " %d distinct values changed (%s)%n",
          rows, millis, result.changedValues(), result.replacementSummary());
      assertEquals(rows + 1, result.rows());
      assertEquals(2, result.changedValues(), result.toString());
      try (Connection c = store.connect();
          Statement s = c.createStatement()) {
        String events = "read_parquet('" + export + "/events/**/*.parquet')";
        assertEquals(
            0L,
            single(
                s,
                "SELECT count(*) FROM "
                    + events
                    + " WHERE symbol LIKE '%"
                    + EMAIL
                    + "%' OR symbol LIKE '%"
                    + PASSWORD
                    + "%'"));
        assertEquals(
            (long) rows / 2,
            single(s, "SELECT count(*) FROM " + events + " WHERE symbol LIKE '%<%:%>'"));
      }
      // Measured about 3 s on 2 cores; the bound only catches a per-row redaction creeping in.
      assertTrue(millis < 60_000, millis + " ms");
    }
  }

  /** Three captures (an ordinary host, an address as host, a key id in the host) and their rows. */
  static void plant(EventStore store) throws SQLException {
    try (Connection c = store.connect();
        Statement s = c.createStatement()) {
      insertCapture(c, "cap-plain", "node-a");
      insertCapture(c, "cap-ip", IP_HOST);
      insertCapture(c, "cap-key", KEY_HOST);
      try (PreparedStatement p =
          c.prepareStatement(
              "INSERT INTO processes (capture_id, token, comm, build_id, cgroup, exe_hash, key_id,"
                  + " container) VALUES (?, ?, ?, 'b1', ?, 'e_01', 'k_1', ?)")) {
        String[][] rows = {
          {
            "cap-plain",
            "p_a1",
            PlantedSecrets.prefix15("Bearer " + BEARER_SECRET),
            "/system.slice/Bearer_" + BEARER_SECRET + ".scope",
            null
          },
          {
            "cap-plain",
            "p_a2",
            PlantedSecrets.prefix15("password=" + PASSWORD),
            "/user.slice/app-Bearer_" + JWT + ".scope",
            "ctr-" + AWS_KEY_ID
          },
          {"cap-ip", "p_b1", PlantedSecrets.prefix15(EMAIL), "/x/" + EMAIL, null},
          {"cap-ip", "p_b2", "Bearer " + BEARER_SECRET, "password=" + PASSWORD, null},
          {"cap-key", "p_c1", JWT, "card " + CARD + " / " + CARD_DASHED, null},
          {"cap-key", TOKEN, PLACEHOLDER, "password=<SECRET:0a1b2c3d>", null},
        };
        for (String[] row : rows) {
          for (int i = 0; i < row.length; i++) {
            p.setString(i + 1, row[i]);
          }
          p.addBatch();
        }
        p.executeBatch();
      }
      for (String capture : List.of("cap-plain", "cap-ip", "cap-key")) {
        s.execute(
            "INSERT INTO events (capture_id, time, type, process_token, errno_name, symbol,"
                + " syscall) SELECT '"
                + capture
                + "', TIMESTAMP '2026-01-01 10:00:00' + i *"
                + " INTERVAL 1 SECOND, 'uprobe', 'p_a1', CASE WHEN i = 1 THEN 'token="
                + PASSWORD
                + "' END, CASE WHEN i = 2 THEN '"
                + EMAIL
                + "' ELSE 'getaddrinfo'"
                + " END, CASE WHEN i = 3 THEN '"
                + AWS_KEY_ID
                + "' END FROM range(5) t(i)");
        s.execute(
            "INSERT INTO capture_stats (capture_id, type, produced, stored, dropped)"
                + " VALUES ('"
                + capture
                + "', 'syscall', 5, 5, 0)");
      }
      s.execute(
          "INSERT INTO stacks (capture_id, stack_id, build_id, frames, kernel_frames) VALUES"
              + " ('cap-plain', 1, 'b1', ['main', '"
              + EMAIL
              + "', NULL, 'libc.so.6!write+0x14',"
              + " 'login "
              + JWT
              + "'], ['vfs_write+0x10', 'Bearer "
              + BEARER_SECRET
              + "']),"
              + " ('cap-plain', 2, 'b1', [], NULL), ('cap-plain', 3, 'b1', NULL, NULL)");
      s.execute(
          "INSERT INTO trigger_firings (capture_id, rule, fired_at, ended_at,"
              + " observed_per_s, threshold_per_s, probes) VALUES ('cap-ip', 'ETIMEDOUT > 5/s in"
              + " /home/alice.smith/"
              + EMAIL
              + " -> stacks', TIMESTAMP '2026-01-01 10:00:01',"
              + " TIMESTAMP '2026-01-01 10:00:02', 9, 5, ['stacks', 'failed:uprobe="
              + AWS_KEY_ID
              + "'])");
    }
  }

  private static void insertCapture(Connection c, String id, String host) throws SQLException {
    try (PreparedStatement p =
        c.prepareStatement(
            "INSERT INTO captures (capture_id, host, started_at, ended_at, probes, event_count,"
                + " drop_count, key_id, session_id, kernel, policy_hash, key_ids, attestation)"
                + " VALUES (?, ?, TIMESTAMP '2026-01-01 10:00:00', TIMESTAMP '2026-01-01"
                + " 10:05:00', ['syscalls', ?], 5, 0, 'k_1', ?, '6.18', 'sha256:ab', ['k_1'], ?)")) {
      p.setString(1, id);
      p.setString(2, host);
      p.setString(3, "uprobe:" + EMAIL);
      p.setString(4, "session Bearer " + BEARER_SECRET);
      p.setString(5, "{\"policyName\":\"password=" + PASSWORD + "\",\"owner\":\"" + EMAIL + "\"}");
      p.executeUpdate();
    }
  }

  /** Every value of a Parquet file as text, lists included, one per line. */
  private static String decoded(Connection c, Path file) throws SQLException {
    return decodedQuery(c, "SELECT * FROM read_parquet('" + file + "', hive_partitioning = true)");
  }

  private static String decodedQuery(Connection c, String sql) throws SQLException {
    StringBuilder text = new StringBuilder();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        for (int i = 1; i <= n; i++) {
          Object v = rs.getObject(i);
          if (v instanceof java.sql.Array a) {
            v = java.util.Arrays.toString((Object[]) a.getArray());
          }
          text.append(v).append('\n');
        }
      }
    }
    return text.toString();
  }

  private static List<Path> files(Path root) throws IOException {
    try (Stream<Path> all = Files.walk(root)) {
      return all.filter(Files::isRegularFile).sorted().toList();
    }
  }

  private static List<String> relative(Path root) throws IOException {
    return files(root).stream().map(p -> root.relativize(p).toString()).toList();
  }

  private static Object single(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      assertTrue(rs.next(), sql);
      Object v = rs.getObject(1);
      return v instanceof java.sql.Array a ? a.getArray() : v;
    }
  }

  private static List<Object> list(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      assertTrue(rs.next(), sql);
      java.sql.Array a = rs.getArray(1);
      return new ArrayList<>(java.util.Arrays.asList((Object[]) a.getArray()));
    }
  }
}
