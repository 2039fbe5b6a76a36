package dev.tracefix.server.kernel.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracefix.capture.privacy.keys.KeyStore;
import dev.tracefix.server.limits.Limits;
import dev.tracefix.server.message.CellOutput;
import dev.tracefix.sink.EventStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The escape corpus: what a notebook's SQL could try in order to read or write files, load
 * extensions or change settings. Locked, none of it succeeds and nothing lands in /tmp; the same
 * statements on an unlocked store succeed, so the corpus does test something.
 */
class LockedSqlTest {
  @TempDir Path dir;
  private final String run = UUID.randomUUID().toString();
  private final Path tmpCsv = Path.of("/tmp/tracefix-locked-sql-" + run + ".csv");
  private final Path tmpDb = Path.of("/tmp/tracefix-locked-sql-" + run + ".db");
  private Path homeParquet;
  private Path keyFile;
  private RootAllocator allocator;
  private Path storeFile;
  private NotebookDatabase database;
  private Connection notebook;

  @BeforeEach
  void open() throws Exception {
    allocator = new RootAllocator();
    // Created with its schema, then closed: notebook databases attach it read-only.
    try (EventStore store = EventStore.open(dir.resolve("store.duckdb"), allocator)) {
      storeFile = store.dbFile();
    }
    KeyStore.current(dir.resolve("keys"));
    keyFile = dir.resolve("keys").resolve("current.key");
    // A Parquet file in the user's home (root's in CI), for read_parquet to reach for.
    homeParquet =
        Path.of(System.getProperty("user.home"), ".tracefix-locked-sql-" + run + ".parquet");
    try (Connection scratch = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = scratch.createStatement()) {
      s.execute("COPY (SELECT 7 AS x) TO '" + homeParquet + "' (FORMAT parquet)");
    }
  }

  @AfterEach
  void close() throws Exception {
    if (notebook != null) {
      notebook.close();
    }
    if (database != null) {
      database.close();
    }
    allocator.close();
    for (Path p : List.of(tmpCsv, tmpDb, Path.of(tmpDb + ".wal"), homeParquet)) {
      Files.deleteIfExists(p);
    }
  }

  /** Statements that succeed on an unlocked store run as the test's user (root in CI). */
  private List<String> corpus() {
    return List.of(
        "SELECT * FROM read_text('/etc/passwd')",
        "SELECT * FROM read_csv('/etc/passwd')",
        "SELECT content FROM read_text('" + keyFile + "')",
        "COPY (SELECT 1) TO '" + tmpCsv + "'",
        "ATTACH '" + tmpDb + "' AS other",
        "SET memory_limit = '1GB'",
        "SET lock_configuration = false",
        "PRAGMA lock_configuration = false",
        "SELECT * FROM glob('/etc/*')",
        "SELECT * FROM read_parquet('" + homeParquet + "')");
  }

  /**
   * Locked only: unlocked, the extensions need the network, and DuckDB never turns external access
   * back on in a running database.
   */
  private static final List<String> LOCKED_ONLY =
      List.of("INSTALL httpfs", "LOAD httpfs", "SET enable_external_access = true");

  @Test
  void noStatementOfTheCorpusSucceedsOnALockedNotebookAndNothingIsWrittenToTmp() throws Exception {
    SqlKernel kernel = lockedKernel();
    List<String> escaped = new ArrayList<>();
    List<String> unclear = new ArrayList<>();
    List<String> all = new ArrayList<>(corpus());
    all.addAll(LOCKED_ONLY);
    for (String sql : all) {
      CellOutput output = run(kernel, sql);
      if (!(output instanceof CellOutput.Error error)) {
        escaped.add(sql + "  ->  " + output);
      } else if (!error.message().startsWith("the notebook is locked: ")
          || !error.message().contains("tracefix serve --unlocked")) {
        unclear.add(sql + "  ->  " + error.message());
      }
    }
    assertEquals(List.of(), escaped, "statements that got through the lock");
    assertEquals(List.of(), unclear, "refusals that do not say the notebook is locked");
    assertFalse(Files.exists(tmpCsv), "COPY wrote " + tmpCsv);
    assertFalse(Files.exists(tmpDb), "ATTACH created " + tmpDb);
  }

  @Test
  void eachRefusalSaysWhatWasRefused() throws Exception {
    SqlKernel kernel = lockedKernel();
    assertRefused(kernel, "SELECT * FROM read_text('/etc/passwd')", "not \"/etc/passwd\"");
    assertRefused(kernel, "SET memory_limit = '1GB'", "settings such as memory_limit");
    assertRefused(kernel, "LOAD httpfs", "cannot install or load extensions");
    assertRefused(kernel, "ATTACH '" + tmpDb + "'", "cannot ATTACH database files");
    assertRefused(kernel, "COPY (SELECT 1) TO '" + tmpCsv + "'", "not '" + tmpCsv + "'");
  }

  @Test
  void theStoreStaysReadableAndNamedResultsAndTheExportsFolderStillWork() throws Exception {
    SqlKernel kernel = lockedKernel();
    assertInstanceOf(
        CellOutput.Table.class,
        kernel.run("SELECT count(*) AS n FROM events", "counted", Optional.of("counted"), LIMITS));
    CellOutput.Table again =
        assertInstanceOf(CellOutput.Table.class, run(kernel, "SELECT n + 1 FROM counted"));
    assertEquals(1L, ((Number) again.rows().getFirst().getFirst()).longValue());
    assertInstanceOf(
        CellOutput.Table.class,
        run(kernel, "CREATE OR REPLACE TEMP VIEW v AS SELECT 2 AS two; SELECT * FROM v"));
    Path exported = exports().resolve("answer.csv");
    assertInstanceOf(
        CellOutput.Text.class, run(kernel, "COPY (SELECT 42 AS answer) TO '" + exported + "'"));
    CellOutput.Table read =
        assertInstanceOf(
            CellOutput.Table.class, run(kernel, "SELECT answer FROM read_csv('" + exported + "')"));
    assertEquals(42L, ((Number) read.rows().getFirst().getFirst()).longValue());
    assertInstanceOf(CellOutput.Text.class, run(kernel, "ATTACH ':memory:' AS scratch"));
  }

  /**
   * DuckDB lets a locked database write its own files; these try that, directly and hidden from a
   * statement splitter that knew fewer of DuckDB's quoting rules ($tag$ quotes, names with $,
   * nested comments).
   */
  @Test
  void theStoresOwnFilesCannotBeOverwrittenAttachedOrReachedThroughPrepareOrExplain()
      throws Exception {
    SqlKernel kernel = lockedKernel();
    Path db = storeFile;
    String wal = db + ".wal.checkpoint";
    String overwrite = "COPY (SELECT 1) TO '" + db + "' (USE_TMP_FILE false)";
    List<String> attempts =
        List.of(
            overwrite,
            "COPY (SELECT 1) TO '" + wal + "' (USE_TMP_FILE false)",
            "COPY (SELECT 1) TO '" + exports() + "/../store.duckdb' (USE_TMP_FILE false)",
            "COPY (SELECT 1) TO ('" + exports() + "/' || '../store.duckdb') (USE_TMP_FILE false)",
            "EXPLAIN ANALYZE " + overwrite,
            "PREPARE p AS " + overwrite,
            "SELECT 1 AS a$$b; " + overwrite + "; SELECT $$x$$",
            "SELECT $t$'$t$; " + overwrite + "; SELECT ''",
            "/* /* */ 'x */ " + overwrite + "; SELECT 'y'",
            "ATTACH '" + wal + "' AS w",
            "EXPORT DATABASE '" + dir.resolve("dump") + "'",
            "IMPORT DATABASE '" + exports() + "'");
    List<String> escaped = new ArrayList<>();
    for (String sql : attempts) {
      CellOutput output = run(kernel, sql);
      if (!(output instanceof CellOutput.Error error)
          || !error.message().startsWith("the notebook is locked: ")) {
        escaped.add(sql + "  ->  " + output);
      }
    }
    assertEquals(List.of(), escaped);
    assertFalse(Files.exists(Path.of(wal)), "a checkpoint WAL was written");
    notebook.close();
    notebook = null;
    database.close();
    database = null;
    try (EventStore store = EventStore.open(db, allocator); // still a database, schema intact
        Connection c = store.connect();
        Statement s = c.createStatement();
        var rs = s.executeQuery("SELECT count(*) FROM events")) {
      assertTrue(rs.next());
    }
  }

  @Test
  void duckDbsOwnLockStillLetsAConnectionOverwriteTheDatabaseFileWhichIsWhyStatementsAreChecked()
      throws Exception {
    Path file = dir.resolve("plain.duckdb");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file);
        Statement s = c.createStatement()) {
      new SqlLock(List.of(dir.resolve("exports"))).apply(c);
      s.execute("COPY (SELECT 1) TO '" + file + ".wal.checkpoint' (USE_TMP_FILE false)");
    }
    assertTrue(
        Files.exists(Path.of(file + ".wal.checkpoint")),
        "DuckDB refused on its own: LockedStatements' write checks may no longer be needed");
  }

  @Test
  void theSameStatementsSucceedUnlockedSoTheCorpusCanFail() throws Exception {
    try (NotebookDatabase open = NotebookDatabases.unlocked(storeFile).open(256L << 20, 1, null);
        Connection unlocked = open.connect()) {
      SqlKernel kernel = new SqlKernel(unlocked, 100, 1 << 20);
      List<String> failed = new ArrayList<>();
      for (String sql : corpus()) {
        CellOutput output = run(kernel, sql);
        if (output instanceof CellOutput.Error error) {
          failed.add(sql + "  ->  " + error.message());
        }
      }
      assertEquals(List.of(), failed);
      assertTrue(Files.exists(tmpCsv));
    }
  }

  private SqlKernel lockedKernel() throws Exception {
    SqlLock lock = new SqlLock(List.of(exports()));
    database = NotebookDatabases.locked(storeFile, lock).open(256L << 20, 1, null);
    notebook = database.connect();
    return new SqlKernel(notebook, 100, 1 << 20);
  }

  private static final Limits LIMITS = Limits.defaults();

  private static CellOutput run(SqlKernel kernel, String sql) {
    return kernel.run(sql, "cell-1", Optional.empty(), LIMITS);
  }

  private Path exports() throws Exception {
    return Files.createDirectories(dir.resolve("exports"));
  }

  private static void assertRefused(SqlKernel kernel, String sql, String saying) {
    CellOutput.Error error = assertInstanceOf(CellOutput.Error.class, run(kernel, sql), sql);
    assertTrue(error.message().startsWith("the notebook is locked: "), error.message());
    assertTrue(error.message().contains(saying), () -> sql + ": " + error.message());
  }
}
