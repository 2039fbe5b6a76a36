package dev.tracefix.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class CommandLineTest {

  private record Run(int exit, String out, String err) {}

  private static Run execute(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      CommandLine cli = Main.commandLine();
      int exit = cli.execute(args);
      return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"capture", "sql", "export", "import", "serve", "run", "report", "demo"})
  void everyCommandExplainsItselfWithHelp(String command) {
    Run run = execute(command, "--help");
    assertEquals(0, run.exit(), run.err());
    assertTrue(run.out().contains("Usage: tracefix " + command), run.out());
  }

  @Test
  void sqlOnAMissingDatabaseSaysHowToCreateOne(@TempDir Path dir) {
    Run run = execute("sql", "--db", dir.resolve("absent.duckdb").toString(), "SELECT 1");
    assertEquals(2, run.exit());
    assertTrue(run.err().contains("no database at"), run.err());
    assertTrue(run.err().contains("tracefix capture"), run.err());
  }

  @Test
  void aBadDurationIsRejectedWithTheExpectedForm(@TempDir Path dir) {
    Run run = execute("capture", "--db", dir.resolve("x.duckdb").toString(), "--duration", "soon");
    assertEquals(2, run.exit());
    assertTrue(run.err().contains("is not a duration"), run.err());
  }

  @Test
  void sqlPrintsAResultInEveryFormat(@TempDir Path dir) {
    Path db = dir.resolve("q.duckdb");
    String query = "SELECT 42 AS answer, 'a,b' AS text";
    execute("sql", "--db", db.toString(), "SELECT 1"); // absent: refused, creates nothing
    try (var store = dev.tracefix.sink.EventStore.open(db)) {
      // an empty store is a valid database to query
    }
    Run table = execute("sql", "--db", db.toString(), query);
    assertEquals(0, table.exit(), table.err());
    assertTrue(table.out().contains("answer | text"), table.out());
    assertTrue(table.out().contains("(1 row)"), table.out());
    Run csv = execute("sql", "--db", db.toString(), "--format", "csv", query);
    assertTrue(csv.out().contains("42,\"a,b\""), csv.out());
    Run json = execute("sql", "--db", db.toString(), "--format", "json", query);
    assertTrue(json.out().contains("{\"answer\":42,\"text\":\"a,b\"}"), json.out());
  }

  @Test
  void aSqlErrorIsOneClearLine(@TempDir Path dir) {
    Path db = dir.resolve("e.duckdb");
    try (var store = dev.tracefix.sink.EventStore.open(db)) {
      // create it
    }
    Run run = execute("sql", "--db", db.toString(), "SELECT * FROM no_such_table");
    assertEquals(2, run.exit());
    assertTrue(run.err().contains("query failed"), run.err());
    assertTrue(run.err().contains("no_such_table"), run.err());
  }
}
