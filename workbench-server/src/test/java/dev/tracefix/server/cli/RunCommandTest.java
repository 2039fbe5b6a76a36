package dev.tracefix.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tracefix run NOTEBOOK} as a user types it. */
class RunCommandTest {
  @TempDir Path dir;

  /** Runs the command line with the project home (and so the default database) in {@code dir}. */
  private CliRun runInHome(String... args) {
    String before = System.getProperty("tracefix.home");
    System.setProperty("tracefix.home", dir.toString());
    try {
      return CliRun.of(args);
    } finally {
      if (before == null) {
        System.clearProperty("tracefix.home");
      } else {
        System.setProperty("tracefix.home", before);
      }
    }
  }

  @Test
  void withoutDbAndWithoutTheDefaultDatabaseRunFailsNamingDb() throws Exception {
    Path notebook = dir.resolve("nb.md");
    Files.writeString(notebook, "# nb\n\n```sql name=n\nSELECT count(*) AS n FROM events\n```\n");
    CliRun run = runInHome("run", notebook.toString());
    System.out.println("RunCommandTest no db: exit " + run.exit() + ", " + run.err().strip());
    assertEquals(2, run.exit(), run.out() + run.err());
    assertTrue(run.err().contains("--db"), run.err());
    assertTrue(run.err().contains(".tracefix/workbench.duckdb"), run.err());
    assertFalse(run.out().contains("cells ran"), run.out());
    assertFalse(Files.exists(dir.resolve(".tracefix/workbench.duckdb")), "no database is made");
  }

  @Test
  void aMisspeltCellKindIsAWarningWithItsLineInTheRunOutput() throws Exception {
    Path db = dir.resolve("store.duckdb");
    try (var store = dev.tracefix.sink.EventStore.open(db)) {
      // an empty, valid store
    }
    Path notebook = dir.resolve("nb.md");
    Files.writeString(
        notebook,
        String.join(
            "\n",
            "# nb",
            "",
            "```SQL",
            "SELECT 1",
            "```",
            "",
            "```text",
            "plain words",
            "```",
            "",
            "```sqll",
            "SELECT 2",
            "```",
            ""));
    CliRun run = runInHome("run", notebook.toString(), "--db", db.toString());
    System.out.println("RunCommandTest warnings:\n" + run.out());
    assertEquals(0, run.exit(), run.out() + run.err());
    assertTrue(
        run.out().contains("warning: nb.md:3: 'SQL' is not a cell kind (did you mean 'sql'?)"),
        run.out());
    assertTrue(run.out().contains("warning: nb.md:11: 'sqll' is not a cell kind"), run.out());
    assertTrue(
        run.out().contains("cell kinds: sql, java, ask, capture, minimize, bisect, patch"),
        run.out());
    assertFalse(run.out().contains("'text'"), "a text fence stays prose quietly: " + run.out());
    assertEquals(2, run.out().lines().filter(l -> l.startsWith("warning: ")).count(), run.out());
  }
}
