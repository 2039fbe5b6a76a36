package dev.tracefix.server.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracefix.server.ServerException;
import dev.tracefix.server.analyst.TraceTables;
import dev.tracefix.server.kernel.sql.NotebookDatabases;
import dev.tracefix.server.message.CellOutput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.List;
import java.util.Map;
import org.duckdb.DuckDBConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileNotebookWorkspaceTest {
  @TempDir Path dir;
  private Path store;
  private FileNotebookWorkspace workspace;
  private Path notebooks;

  @BeforeEach
  void setUp() throws Exception {
    store = dir.resolve("trace.duckdb");
    try (DuckDBConnection root =
        (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + store)) {
      TraceTables.create(root);
      TraceTables.fill(root, 7);
    }
    notebooks = Files.createDirectories(dir.resolve("notebooks"));
    workspace =
        new FileNotebookWorkspace(notebooks, NotebookDatabases.unlocked(store), dir, Map.of());
  }

  @AfterEach
  void tearDown() throws Exception {
    workspace.close();
  }

  private void write(String name, String text) throws Exception {
    Files.writeString(notebooks.resolve(name), text);
  }

  private static final String PIPELINE =
      """
      # EPIPE hunt

      ```sql name=failures
      SELECT process_token, count(*) AS n FROM events WHERE errno_name = 'EPIPE' GROUP BY 1
      ```

      ```sql name=worst
      SELECT * FROM failures ORDER BY n DESC LIMIT 1
      ```

      ```sql
      SELECT count(*) AS all_events FROM events
      ```
      """;

  @Test
  void aNamedSqlResultFeedsALaterSqlCell() throws Exception {
    write("hunt.md", PIPELINE);
    CellOutput first = workspace.runCell("hunt.md", "failures");
    assertInstanceOf(CellOutput.Table.class, first);
    CellOutput.Table worst = (CellOutput.Table) workspace.runCell("hunt.md", "worst");
    assertEquals(List.of("process_token", "n"), worst.columns());
    assertEquals("tok-worker-02", worst.rows().getFirst().get(0));
    assertEquals(
        (long) TraceTables.EPIPE_BURST, ((Number) worst.rows().getFirst().get(1)).longValue());
  }

  @Test
  void editingACellMarksItAndItsDependentsStaleAndSavesOnlyThatCell() throws Exception {
    write("hunt.md", PIPELINE);
    NotebookWorkspace.NotebookView ran = workspace.runAll("hunt.md");
    assertTrue(
        ran.blocks().stream().filter(b -> b.cell() != null).noneMatch(b -> b.cell().stale()));

    String edited = "SELECT process_token, count(*) AS n FROM events WHERE errno <> 0 GROUP BY 1";
    NotebookWorkspace.NotebookView view = workspace.updateCell("hunt.md", "failures", edited);

    Map<String, Boolean> stale = new java.util.HashMap<>();
    view.blocks().stream()
        .filter(b -> b.cell() != null)
        .forEach(b -> stale.put(b.cell().id(), b.cell().stale()));
    assertEquals(Map.of("failures", true, "worst", true, "cell-3", false), stale);
    assertEquals(
        PIPELINE.replace(
            "SELECT process_token, count(*) AS n FROM events WHERE errno_name = 'EPIPE' GROUP BY 1",
            edited),
        Files.readString(notebooks.resolve("hunt.md")));
  }

  @Test
  void aSqlErrorIsDataAndTheSessionGoesOn() throws Exception {
    write("bad.md", "```sql\nSELECT * FROM no_such_table\n```\n```sql\nSELECT 42 AS answer\n```\n");
    CellOutput.Error error =
        assertInstanceOf(CellOutput.Error.class, workspace.runCell("bad.md", "cell-1"));
    assertEquals("sql", error.errorKind());
    assertTrue(error.message().contains("no_such_table"), error.message());
    CellOutput.Table ok =
        assertInstanceOf(CellOutput.Table.class, workspace.runCell("bad.md", "cell-2"));
    assertEquals(42, ((Number) ok.rows().getFirst().getFirst()).intValue());
  }

  @Test
  void listsNotebooksWithTitlesAndRejectsNamesOutsideTheFolder() throws Exception {
    write("hunt.md", PIPELINE);
    write("broken.md", "```sql\nSELECT 1\n");
    assertEquals(
        List.of(
            new NotebookWorkspace.NotebookSummary("broken.md", "broken.md", -1),
            new NotebookWorkspace.NotebookSummary("hunt.md", "EPIPE hunt", 3)),
        workspace.list());
    ServerException malformed =
        assertThrows(ServerException.class, () -> workspace.open("broken.md"));
    assertEquals(ServerException.Kind.MALFORMED, malformed.kind());
    assertEquals(
        "broken.md:1: fence ``` is never closed (add a closing fence of at least the same length)",
        malformed.getMessage());
    assertEquals(
        ServerException.Kind.NOT_FOUND,
        assertThrows(ServerException.class, () -> workspace.open("../trace.duckdb")).kind());
    assertEquals(
        ServerException.Kind.NOT_FOUND,
        assertThrows(ServerException.class, () -> workspace.open("missing.md")).kind());
  }

  @Test
  void anActionCellWithoutARunnerIsUnsupportedAndARunnerSeesItsBodyAndResults() throws Exception {
    write(
        "fix.md",
        "```sql name=seq\nSELECT 1 AS step\n```\n```minimize\ninput: seq\n```\n```bisect\n```\n");
    List<Map<String, String>> bodies = new java.util.ArrayList<>();
    try (FileNotebookWorkspace withRunner =
        new FileNotebookWorkspace(
            notebooks,
            NotebookDatabases.unlocked(store),
            dir,
            Map.of(
                "minimize",
                (body, ctx) -> {
                  bodies.add(body);
                  return ctx.result(body.get("input")).orElseThrow();
                }))) {
      withRunner.runCell("fix.md", "seq");
      assertInstanceOf(CellOutput.Table.class, withRunner.runCell("fix.md", "cell-2"));
      assertEquals(List.of(Map.of("input", "seq")), bodies);
      CellOutput.Error unsupported =
          assertInstanceOf(CellOutput.Error.class, withRunner.runCell("fix.md", "cell-3"));
      assertEquals("unsupported", unsupported.errorKind());
    }
  }

  @Test
  void noCellKindEverThrowsAtTheCaller() throws Exception {
    write("all.md", "```capture\nduration: 5s\n```\n```ask\nquestion: why EPIPE?\n```\n");
    NotebookWorkspace.NotebookView view = workspace.runAll("all.md");
    List<CellOutput> outputs =
        view.blocks().stream().filter(b -> b.cell() != null).map(b -> b.cell().output()).toList();
    assertEquals("unsupported", ((CellOutput.Error) outputs.get(0)).errorKind());
    assertFalse(((CellOutput.Hypotheses) outputs.get(1)).items().isEmpty());
  }

  @Test
  void theNotebookViewCarriesTheWarningsOfAMisspeltCellKind() throws Exception {
    write("typo.md", "# t\n\n```Sql\nSELECT 1\n```\n\n```text\nnotes\n```\n");
    NotebookWorkspace.NotebookView view = workspace.open("typo.md");
    assertEquals(1, view.warnings().size(), view.warnings().toString());
    assertTrue(
        view.warnings().getFirst().startsWith("typo.md:3: 'Sql' is not a cell kind"),
        view.warnings().toString());
  }
}
