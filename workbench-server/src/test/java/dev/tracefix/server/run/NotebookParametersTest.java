package dev.tracefix.server.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracefix.server.ServerException;
import dev.tracefix.server.kernel.sql.NotebookDatabases;
import dev.tracefix.server.message.CellOutput;
import dev.tracefix.server.notebook.NotebookParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.Map;
import org.duckdb.DuckDBConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Notebook parameters: declared in the front matter, set per session, seen by SQL as $name. */
class NotebookParametersTest {
  private static final String NOTEBOOK =
      """
      ---
      parameters:
        window: 30s
        errno_name: EPIPE
        limit: 3
      ---
      # Parameters

      ```sql name=params
      SELECT $window::INTERVAL AS window, $errno_name AS errno_name, $limit + 1 AS next,
             '$window stays' AS literal -- and $window in a comment
      ```

      ```sql name=plain
      SELECT 1 AS one
      ```
      """;

  @TempDir Path dir;

  @Test
  void anUndeclaredReferenceOrOverrideIsAClearError() {
    var missing =
        assertThrows(
            ServerException.class, () -> NotebookParameters.apply("SELECT $nope", Map.of()));
    assertTrue(missing.getMessage().contains("-p nope=VALUE"), missing.getMessage());
    var unknown =
        assertThrows(
            ServerException.class,
            () -> NotebookParameters.effective(Map.of("window", "1s"), Map.of("windw", "2s")));
    assertTrue(unknown.getMessage().contains("windw") && unknown.getMessage().contains("window"));
  }

  @Test
  void theFrontMatterRoundTripsAndABrokenOneNamesItsLine() {
    assertEquals(NOTEBOOK, NotebookParser.parse("p.md", NOTEBOOK).text());
    assertEquals(
        Map.of("window", "30s", "errno_name", "EPIPE", "limit", "3"),
        NotebookParser.parse("p.md", NOTEBOOK).parameters());
    var broken =
        assertThrows(
            ServerException.class,
            () -> NotebookParser.parse("b.md", "---\nparameters:\n  window: [1\n---\n# B\n"));
    assertTrue(broken.getMessage().startsWith("b.md:"), broken.getMessage());
    var badName =
        assertThrows(
            ServerException.class,
            () -> NotebookParser.parse("n.md", "---\nparameters:\n  bad-name: 1\n---\n"));
    assertTrue(badName.getMessage().startsWith("n.md:3:"), badName.getMessage());
  }

  @Test
  void sessionValuesReachTheCellsAndMarkTheUsersStale() throws Exception {
    Path notebooks = Files.createDirectories(dir.resolve("nb"));
    Files.writeString(notebooks.resolve("p.md"), NOTEBOOK);
    Path store = dir.resolve("t.duckdb");
    try (DuckDBConnection root =
        (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + store)) {
      root.createStatement().execute("SELECT 1");
    }
    try (FileNotebookWorkspace ws =
        new FileNotebookWorkspace(notebooks, NotebookDatabases.unlocked(store), dir, Map.of())) {
      CellOutput.Table first = (CellOutput.Table) ws.runCell("p.md", "params");
      assertEquals("00:00:30", String.valueOf(first.rows().getFirst().get(0)));
      assertEquals("$window stays", String.valueOf(first.rows().getFirst().get(3)));
      ws.runCell("p.md", "plain");

      var view = ws.setParameters("p.md", Map.of("window", "5m", "limit", "9"));
      assertEquals("5m", view.parameters().get("window"));
      var cells = view.blocks().stream().filter(b -> b.cell() != null).map(b -> b.cell()).toList();
      assertTrue(cells.get(0).stale(), "the cell using $window is stale");
      assertFalse(cells.get(1).stale(), "a cell without parameters is not");
      CellOutput.Table again = (CellOutput.Table) ws.runCell("p.md", "params");
      assertEquals("00:05:00", String.valueOf(again.rows().getFirst().get(0)));
      assertEquals("10", String.valueOf(again.rows().getFirst().get(2)));

      assertThrows(ServerException.class, () -> ws.setParameters("p.md", Map.of("nope", "1")));
    }
  }
}
