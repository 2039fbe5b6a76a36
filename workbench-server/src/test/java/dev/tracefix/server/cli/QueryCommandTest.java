package dev.tracefix.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tracefix query}: the saved queries of queries/, run as documented, with parameters. */
class QueryCommandTest {
  @TempDir Path dir;
  private Path db;

  @BeforeEach
  void importTheRecordedCapture() {
    db = dir.resolve("example.duckdb");
    CliRun imported =
        CliRun.of(
            "import",
            "--db",
            db.toString(),
            "--parquet",
            ProjectPaths.home().resolve("examples/recorded-capture").toString());
    assertEquals(0, imported.exit(), imported.err());
  }

  private CliRun query(String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "query";
    System.arraycopy(args, 0, all, 1, args.length);
    return CliRun.of(all);
  }

  @Test
  void listNamesEveryQueryWithItsTitleAndParameters() throws Exception {
    CliRun list = query("--list");
    System.out.println("QueryCommandTest --list:\n" + list.out());
    assertEquals(0, list.exit(), list.err());
    long files;
    try (var sql = Files.list(ProjectPaths.home().resolve("queries"))) {
      files = sql.filter(f -> f.toString().endsWith(".sql")).count();
    }
    assertEquals(files * 2, list.out().lines().count(), list.out());
    assertTrue(
        list.out()
            .contains(
                "events-around-error                the event sequence around an" + " error\n"),
        list.out());
    assertTrue(list.out().contains("-p errno_name=EPIPE -p window_ms=200\n"), list.out());
    assertTrue(list.out().contains("(no parameters)"), list.out());
  }

  @Test
  void aSavedQueryRunsWithTheHeadersDefaultsOrTheValuesGiven() {
    CliRun defaults = query("events-around-error", "--db", db.toString(), "--format", "csv");
    assertEquals(0, defaults.exit(), defaults.err());
    long epipeRows = defaults.out().lines().count() - 1;
    System.out.println("QueryCommandTest: events-around-error (EPIPE) " + epipeRows + " rows");
    assertTrue(epipeRows > 0, defaults.out());

    CliRun given =
        query(
            "events-around-error",
            "-p",
            "errno_name=ECONNRESET",
            "-p",
            "window_ms=5",
            "--db",
            db.toString(),
            "--format",
            "csv");
    assertEquals(0, given.exit(), given.err());
    assertTrue(given.out().lines().count() - 1 < epipeRows, given.out());
  }

  @Test
  void aValueStaysInsideItsLiteral() {
    CliRun injected =
        query(
            "events-around-error",
            "-p",
            "errno_name=x' OR 1=1 --",
            "--db",
            db.toString(),
            "--format",
            "csv");
    assertEquals(0, injected.exit(), injected.err());
    assertEquals(1, injected.out().lines().count(), "only the header: " + injected.out());
  }

  @Test
  void unknownMissingAndUndeclaredParametersAreClearErrors() throws Exception {
    CliRun unknown = query("events-around-error", "-p", "errno=EPIPE", "--db", db.toString());
    System.out.println("QueryCommandTest unknown: " + unknown.err().strip());
    assertEquals(2, unknown.exit());
    assertTrue(
        unknown
            .err()
            .contains("has no parameter errno; it takes -p errno_name=EPIPE" + " -p window_ms=200"),
        unknown.err());

    Path mine = Files.createDirectories(dir.resolve("queries"));
    Files.writeString(
        mine.resolve("by-pid.sql"),
        "-- title: events of one process\n-- parameters: $token\n-- description: x\n"
            + "SELECT count(*) FROM events WHERE process_token = $token\n");
    Files.writeString(
        mine.resolve("undeclared.sql"), "-- title: oops\n-- parameters: none\nSELECT $limit\n");
    CliRun missing = query("by-pid", "--queries", mine.toString(), "--db", db.toString());
    System.out.println("QueryCommandTest missing: " + missing.err().strip());
    assertEquals(2, missing.exit());
    assertTrue(
        missing.err().contains("needs a value for $token: give it with -p token=VALUE"),
        missing.err());
    CliRun undeclared = query("undeclared", "--queries", mine.toString(), "--db", db.toString());
    assertEquals(2, undeclared.exit());
    assertTrue(
        undeclared
            .err()
            .contains("uses $limit but its '-- parameters:' header does not" + " declare it"),
        undeclared.err());
    CliRun none = query("no-such-query", "--db", db.toString());
    assertEquals(2, none.exit());
    assertTrue(none.err().contains("tracefix query --list"), none.err());
  }
}
