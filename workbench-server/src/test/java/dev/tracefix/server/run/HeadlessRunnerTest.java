package dev.tracefix.server.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracefix.server.analyst.TraceTables;
import dev.tracefix.server.kernel.sql.NotebookDatabases;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.List;
import java.util.Map;
import org.duckdb.DuckDBConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeadlessRunnerTest {
  @TempDir Path dir;

  private String run(String notebook, List<Boolean> failed) throws Exception {
    Path file = dir.resolve("nb.md");
    Files.writeString(file, notebook);
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    Path store = dir.resolve("t.duckdb");
    try (DuckDBConnection root =
        (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + store)) {
      TraceTables.create(root);
      TraceTables.fill(root, 3);
    }
    HeadlessRunner runner =
        new HeadlessRunner(
            NotebookDatabases.unlocked(store),
            dir,
            Map.of(),
            KernelSettings.DEFAULTS,
            new PrintStream(printed, true, StandardCharsets.UTF_8));
    HeadlessRunner.Result result = runner.run(file);
    failed.add(result.failed());
    return printed.toString(StandardCharsets.UTF_8);
  }

  @Test
  void reportsEveryCellAndFailsForANotebookWithABadCell() throws Exception {
    List<Boolean> failed = new java.util.ArrayList<>();
    String printed =
        run(
            """
            # run me
            ```sql name=retx
            SELECT * FROM events WHERE type = 'tcp_retransmit'
            ```
            ```sql
            SELECT * FROM retx_typo
            ```
            """,
            failed);
    System.out.print(printed);
    assertEquals(List.of(true), failed);
    List<String> lines = printed.lines().toList();
    assertTrue(lines.get(0).matches("\\[ok] sql retx: 12 rows \\(\\d+ ms\\)"), lines.get(0));
    assertTrue(
        lines.get(1).startsWith("[FAIL] sql cell-2: sql: Catalog Error: Table with name retx_typo"),
        lines.get(1));
    assertEquals("FAILED: 1 of 2 cells failed: cell-2", lines.get(2));
  }

  @Test
  void theGettingStartedNotebookRunsCleanOnGeneratedTraffic() throws Exception {
    Path notebook =
        dev.tracefix.server.notebook.NotebookRepositoryFilesTest.repositoryRoot()
            .resolve("notebooks/getting-started.md");
    List<Boolean> failed = new java.util.ArrayList<>();
    String printed = run(Files.readString(notebook), failed);
    System.out.print(printed);
    assertFalse(failed.getFirst(), printed);
    assertTrue(printed.contains("[ok] java cell-4: \"worker fails most: EPIPE\""), printed);
  }

  @Test
  void aCleanNotebookDoesNotFail() throws Exception {
    List<Boolean> failed = new java.util.ArrayList<>();
    String printed = run("```sql\nSELECT count(*) FROM events\n```\n", failed);
    System.out.print(printed);
    assertFalse(failed.getFirst());
    assertTrue(printed.endsWith("ok: 1 cells ran\n"), printed);
  }
}
