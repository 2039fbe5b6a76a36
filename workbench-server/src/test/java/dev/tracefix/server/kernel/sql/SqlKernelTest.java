package dev.tracefix.server.kernel.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracefix.server.run.CellOutput;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
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

  @TempDir Path dir;
  private Connection connection;

  @BeforeEach
  void open() throws Exception {
    connection = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("k.duckdb"));
  }

  @AfterEach
  void close() throws Exception {
    connection.close();
  }

  @Test
  void runsStatementsInOrderAndShowsTheLastResultCappedForDisplay() {
    SqlKernel kernel = new SqlKernel(connection, Duration.ofSeconds(30), 5);
    CellOutput.Table table =
        assertInstanceOf(
            CellOutput.Table.class,
            kernel.run(
                "CREATE TABLE t AS SELECT range AS i FROM range(12); -- a ';' in a comment\n"
                    + "INSERT INTO t VALUES (100);\nSELECT i, 'x;y' AS s FROM t ORDER BY i",
                Optional.empty()));
    assertEquals(List.of("i", "s"), table.columns());
    assertEquals(5, table.rows().size());
    assertEquals(13, table.totalRows());
  }

  @Test
  void aNamedCellBecomesATempTableForLaterCells() {
    SqlKernel kernel = new SqlKernel(connection, Duration.ofSeconds(30), 100);
    kernel.run("SELECT 7 AS seven", Optional.of("lucky"));
    CellOutput.Table table =
        assertInstanceOf(CellOutput.Table.class, kernel.run("SELECT seven * 6 FROM lucky", Optional.empty()));
    assertEquals(42L, ((Number) table.rows().getFirst().getFirst()).longValue());
  }

  @Test
  void anErrorKeepsDuckDbsFirstLineAsMessageAndAllOfItAsDetail() {
    SqlKernel kernel = new SqlKernel(connection, Duration.ofSeconds(30), 100);
    CellOutput.Error error =
        assertInstanceOf(CellOutput.Error.class, kernel.run("SELEC 1", Optional.empty()));
    assertEquals("sql", error.errorKind());
    assertTrue(error.message().startsWith("Parser Error: syntax error"), error.message());
    assertTrue(error.detail().contains("LINE 1"), error.detail());
  }

  @Test
  void aNamedCellMustEndWithAQuery() {
    SqlKernel kernel = new SqlKernel(connection, Duration.ofSeconds(30), 100);
    CellOutput.Error error =
        assertInstanceOf(CellOutput.Error.class, kernel.run("CREATE TABLE x (i INT)", Optional.of("x")));
    assertTrue(error.message().startsWith("cell name=x needs a query"), error.message());
  }

  @Test
  void aQueryPastTheTimeoutIsStoppedAndTheConnectionStaysUsable() {
    SqlKernel kernel = new SqlKernel(connection, Duration.ofMillis(300), 100);
    CellOutput.Error error = assertInstanceOf(CellOutput.Error.class, kernel.run(ENDLESS, Optional.empty()));
    assertTrue(error.message().contains("timeout"), error.message());
    assertInstanceOf(CellOutput.Table.class, kernel.run("SELECT 1", Optional.empty()));
  }

  @Test
  void cancelFromAnotherThreadStopsTheRunningQuery() throws Exception {
    SqlKernel kernel = new SqlKernel(connection, Duration.ofMinutes(5), 100);
    CompletableFuture<CellOutput> running =
        CompletableFuture.supplyAsync(() -> kernel.run(ENDLESS, Optional.empty()));
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
