package dev.tracefix.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CommandLineTest {

  private static CliRun execute(String... args) {
    return CliRun.of(args);
  }

  @ParameterizedTest
  @ValueSource(strings = {"capture", "sql", "export", "import", "serve", "run", "report", "demo"})
  void everyCommandExplainsItselfWithHelp(String command) {
    CliRun run = execute(command, "--help");
    assertEquals(0, run.exit(), run.err());
    assertTrue(run.out().contains("Usage: tracefix " + command), run.out());
  }

  @Test
  void sqlOnAMissingDatabaseSaysHowToCreateOne(@TempDir Path dir) {
    CliRun run = execute("sql", "--db", dir.resolve("absent.duckdb").toString(), "SELECT 1");
    assertEquals(2, run.exit());
    assertTrue(run.err().contains("no database at"), run.err());
    assertTrue(run.err().contains("tracefix capture"), run.err());
  }

  @Test
  void aBadDurationIsRejectedWithTheExpectedForm(@TempDir Path dir) {
    CliRun run =
        execute("capture", "--db", dir.resolve("x.duckdb").toString(), "--duration", "soon");
    assertEquals(2, run.exit());
    assertTrue(run.err().contains("is not a duration"), run.err());
  }

  @Test
  void aMalformedTriggerRuleIsOneLineNamingTheSyntaxAndCreatesNoDatabase(@TempDir Path dir) {
    Path db = dir.resolve("t.duckdb");
    CliRun run =
        execute("capture", "--db", db.toString(), "--trigger", "ETIMEDOUT > lots -> stacks");
    assertEquals(2, run.exit());
    assertTrue(run.err().contains("trigger 'ETIMEDOUT > lots -> stacks'"), run.err());
    assertTrue(run.err().contains("ERRNO[,ERRNO...] > RATE/s"), run.err());
    assertEquals(1, run.err().strip().lines().count(), run.err());
    assertTrue(Files.notExists(db), "nothing is created for a malformed rule");
  }

  @Test
  void sqlPrintsAResultInEveryFormat(@TempDir Path dir) {
    Path db = dir.resolve("q.duckdb");
    String query = "SELECT 42 AS answer, 'a,b' AS text";
    execute("sql", "--db", db.toString(), "SELECT 1"); // absent: refused, creates nothing
    try (var store = dev.tracefix.sink.EventStore.open(db)) {
      // an empty store is a valid database to query
    }
    CliRun table = execute("sql", "--db", db.toString(), query);
    assertEquals(0, table.exit(), table.err());
    assertTrue(table.out().contains("answer | text"), table.out());
    assertTrue(table.out().contains("(1 row)"), table.out());
    CliRun csv = execute("sql", "--db", db.toString(), "--format", "csv", query);
    assertTrue(csv.out().contains("42,\"a,b\""), csv.out());
    CliRun json = execute("sql", "--db", db.toString(), "--format", "json", query);
    assertTrue(json.out().contains("{\"answer\":42,\"text\":\"a,b\"}"), json.out());
  }

  @Test
  void aSqlErrorIsOneClearLine(@TempDir Path dir) {
    Path db = dir.resolve("e.duckdb");
    try (var store = dev.tracefix.sink.EventStore.open(db)) {
      // create it
    }
    CliRun run = execute("sql", "--db", db.toString(), "SELECT * FROM no_such_table");
    assertEquals(2, run.exit());
    assertTrue(run.err().contains("query failed"), run.err());
    assertTrue(run.err().contains("no_such_table"), run.err());
  }
}
