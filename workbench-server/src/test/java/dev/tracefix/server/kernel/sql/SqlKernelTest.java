package dev.tracefix.server.kernel.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracefix.server.limits.Limits;
import dev.tracefix.server.message.CellOutput;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqlKernelTest {
  /** A cross join large enough to run far longer than any timeout used here. */
  private static final String ENDLESS =
      "SELECT sum(a.range * b.range) FROM range(1000000) a, range(1000000) b";

  private static final Limits LIMITS = Limits.defaults();

  @TempDir Path dir;
  private NotebookDatabase database;
  private Connection connection;

  @BeforeEach
  void open() throws Exception {
    database = NotebookDatabases.unlocked(null).open(512L << 20, 2, dir.resolve("spill"));
    connection = database.connect();
  }

  @AfterEach
  void close() throws Exception {
    connection.close();
    database.close();
  }

  private CellOutput run(SqlKernel kernel, String sql, Optional<String> name, Limits limits) {
    return kernel.run(sql, "cell-1", name, limits);
  }

  @Test
  void runsStatementsInOrderAndShowsTheFirstPageOfTheLastResult() {
    SqlKernel kernel = new SqlKernel(connection, 5, 1 << 20);
    CellOutput.Table table =
        assertInstanceOf(
            CellOutput.Table.class,
            run(
                kernel,
                "CREATE TABLE t AS SELECT range AS i FROM range(12); -- a ';' in a comment\n"
                    + "INSERT INTO t VALUES (100);\nSELECT i, 'x;y' AS s FROM t ORDER BY i",
                Optional.empty(),
                LIMITS));
    assertEquals(List.of("i", "s"), table.columns());
    assertEquals(5, table.rows().size());
    assertEquals(13, table.totalRows());
  }

  @Test
  void aNamedCellsResultIsATableLaterCellsRead() {
    SqlKernel kernel = new SqlKernel(connection, 100, 1 << 20);
    kernel.run("SELECT 7 AS seven", "lucky", Optional.of("lucky"), LIMITS);
    CellOutput.Table table =
        assertInstanceOf(
            CellOutput.Table.class,
            run(kernel, "SELECT seven * 6 FROM lucky", Optional.empty(), LIMITS));
    assertEquals(42L, ((Number) table.rows().getFirst().getFirst()).longValue());
  }

  @Test
  void aNamedCellMayReadTheResultItReplaces() {
    SqlKernel kernel = new SqlKernel(connection, 100, 1 << 20);
    kernel.run("SELECT 7 AS seven", "lucky", Optional.of("lucky"), LIMITS);
    CellOutput.Table table =
        assertInstanceOf(
            CellOutput.Table.class,
            kernel.run(
                "SELECT seven + 1 AS seven FROM lucky", "lucky", Optional.of("lucky"), LIMITS));
    assertEquals(8L, ((Number) table.rows().getFirst().getFirst()).longValue());
  }

  @Test
  void theResultStaysInDuckDbAndPages() throws Exception {
    SqlKernel kernel = new SqlKernel(connection, 10, 1 << 20);
    CellOutput.Table first =
        assertInstanceOf(
            CellOutput.Table.class,
            run(
                kernel,
                "SELECT range AS i, 'v' || range AS s FROM range(250000)",
                Optional.empty(),
                LIMITS));
    assertEquals(10, first.rows().size());
    assertEquals(250_000, first.totalRows());
    ResultTable table = ResultTable.ofCell("cell-1", Optional.empty());
    ResultPage deep =
        ResultPages.read(
            connection,
            table,
            200_000,
            3,
            Optional.empty(),
            false,
            1 << 20,
            Duration.ofSeconds(30));
    assertEquals(200_000L, ((Number) deep.rows().getFirst().getFirst()).longValue());
    ResultPage sorted =
        ResultPages.read(
            connection, table, 0, 2, Optional.of("i"), true, 1 << 20, Duration.ofSeconds(30));
    assertEquals(249_999L, ((Number) sorted.rows().getFirst().getFirst()).longValue());
    assertEquals(250_000, sorted.totalRows());
  }

  @Test
  void anEndlessQueryStopsAtMaxRowsAndSaysWhichLimitAndHowToRaiseIt() {
    SqlKernel kernel = new SqlKernel(connection, 100, 1 << 20);
    Limits limits = LIMITS.with(Map.of("max_rows", "1000"));
    CellOutput.Error error =
        assertInstanceOf(
            CellOutput.Error.class,
            run(kernel, "SELECT * FROM range(1000000000000)", Optional.empty(), limits));
    assertEquals("limit", error.errorKind());
    assertTrue(error.message().contains("more than 1000 rows (max_rows=1000)"), error.message());
    assertTrue(error.message().contains("```sql max_rows=2000```"), error.message());
  }

  @Test
  void aResultPastMaxBytesIsACellError() {
    SqlKernel kernel = new SqlKernel(connection, 100, 1 << 20);
    Limits limits = LIMITS.with(Map.of("max_bytes", "1MB"));
    CellOutput.Error error =
        assertInstanceOf(
            CellOutput.Error.class,
            run(
                kernel,
                "SELECT repeat('x', 200) AS s FROM range(100000)",
                Optional.empty(),
                limits));
    assertEquals("limit", error.errorKind());
    assertTrue(error.message().contains("(max_bytes=1MB)"), error.message());
  }

  @Test
  void anErrorKeepsDuckDbsFirstLineAsMessageAndAllOfItAsDetail() {
    SqlKernel kernel = new SqlKernel(connection, 100, 1 << 20);
    CellOutput.Error error =
        assertInstanceOf(CellOutput.Error.class, run(kernel, "SELEC 1", Optional.empty(), LIMITS));
    assertEquals("sql", error.errorKind());
    assertTrue(error.message().startsWith("Parser Error: syntax error"), error.message());
    assertTrue(error.detail().contains("LINE 1"), error.detail());
  }

  @Test
  void aNamedCellMustEndWithAQuery() {
    SqlKernel kernel = new SqlKernel(connection, 100, 1 << 20);
    CellOutput.Error error =
        assertInstanceOf(
            CellOutput.Error.class,
            kernel.run("CREATE TABLE x (i INT)", "x", Optional.of("x"), LIMITS));
    assertTrue(error.message().startsWith("cell name=x needs a query"), error.message());
  }

  @Test
  void aQueryPastTheTimeoutIsStoppedAndTheConnectionStaysUsable() {
    SqlKernel kernel = new SqlKernel(connection, 100, 1 << 20);
    Limits limits = LIMITS.with(Map.of("timeout", "300ms"));
    CellOutput.Error error =
        assertInstanceOf(CellOutput.Error.class, run(kernel, ENDLESS, Optional.empty(), limits));
    assertEquals("limit", error.errorKind());
    assertTrue(error.message().contains("(timeout=300ms)"), error.message());
    assertInstanceOf(CellOutput.Table.class, run(kernel, "SELECT 1", Optional.empty(), limits));
  }

  @Test
  void cancelFromAnotherThreadStopsTheRunningQuery() throws Exception {
    SqlKernel kernel = new SqlKernel(connection, 100, 1 << 20);
    CompletableFuture<CellOutput> running =
        CompletableFuture.supplyAsync(() -> run(kernel, ENDLESS, Optional.empty(), LIMITS));
    CellOutput output = null;
    while (output == null) {
      kernel.cancel(); // no-op until the statement has started; repeat until it ends
      try {
        output = running.get(50, TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.TimeoutException notYet) {
        // still running: cancel again
      }
    }
    CellOutput.Error error = assertInstanceOf(CellOutput.Error.class, output);
    assertTrue(error.message().contains("cancelled"), error.message());
  }
}
