package dev.tracefix.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracefix.server.notebook.Cell;
import dev.tracefix.server.notebook.IpynbExporter;
import dev.tracefix.server.notebook.Notebook;
import dev.tracefix.server.notebook.NotebookParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImportIpynbCliTest {
  @TempDir Path dir;

  @Test
  void aJupyterExportImportsBackIntoTheSameCellsAndNeverOverwritesANotebook() throws Exception {
    Path shipped = Path.of("../notebooks/postmortem-timeout.md");
    Notebook original = NotebookParser.parse("postmortem-timeout.md", Files.readString(shipped));
    Path ipynb = dir.resolve("postmortem.ipynb");
    Files.writeString(ipynb, IpynbExporter.export(original, Map.of()));

    CliRun run = CliRun.of("import", "--ipynb", ipynb.toString());
    assertEquals(0, run.exit(), run.err());
    Path written = dir.resolve("postmortem.md");
    assertTrue(run.out().contains("imported " + original.cells().size() + " cells"), run.out());
    Notebook imported = NotebookParser.parse("postmortem.md", Files.readString(written));
    assertEquals(
        original.cells().stream().map(ImportIpynbCliTest::describe).toList(),
        imported.cells().stream().map(ImportIpynbCliTest::describe).toList());
    assertEquals(original.parameters(), imported.parameters());

    String before = Files.readString(written);
    CliRun again = CliRun.of("import", "--ipynb", ipynb.toString());
    assertEquals(2, again.exit(), "a user error");
    assertTrue(again.err().contains("already exists"), again.err());
    assertEquals(before, Files.readString(written), "the existing notebook is untouched");
  }

  @Test
  void aBrokenJupyterFileIsRefusedByNameAndWritesNothing() throws Exception {
    Path ipynb = dir.resolve("broken.ipynb");
    Files.writeString(
        ipynb, "{\"cells\": [{\"cell_type\": \"markdown\", \"source\": \"```sql\\n\"}]}");
    CliRun run =
        CliRun.of("import", "--ipynb", ipynb.toString(), "--to", dir.resolve("b.md").toString());
    assertEquals(2, run.exit(), "a user error");
    assertTrue(run.err().contains("broken.ipynb: cell 1: does not convert"), run.err());
    assertTrue(Files.notExists(dir.resolve("b.md")));

    CliRun neither = CliRun.of("import", "--db", dir.resolve("x.duckdb").toString());
    assertTrue(neither.exit() != 0 && neither.err().contains("--parquet"), neither.err());
  }

  private static String describe(Cell c) {
    return c.id() + " " + c.kind().word() + " " + c.attributes() + " " + c.source();
  }
}
