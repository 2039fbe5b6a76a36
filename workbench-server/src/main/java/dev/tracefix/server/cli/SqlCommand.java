package dev.tracefix.server.cli;

import dev.tracefix.sink.EventStore;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "sql",
    mixinStandardHelpOptions = true,
    description = "Run one SQL query over a capture database and print the result.")
final class SqlCommand implements Callable<Integer> {
  @Option(names = "--db", required = true, description = "DuckDB file written by capture")
  Path db;

  @Option(
      names = "--format",
      defaultValue = "table",
      description = "output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
  ResultFormat format;

  @Parameters(paramLabel = "QUERY", description = "the SQL query (DuckDB dialect)")
  String query;

  @Override
  public Integer call() throws Exception {
    if (!Files.exists(db)) {
      throw new CliException("no database at " + db + "; create one with 'tracefix capture --db " + db + "'");
    }
    try (EventStore store = Stores.open(db);
        Connection connection = store.connect();
        Statement statement = connection.createStatement()) {
      boolean hasRows = statement.execute(query);
      if (!hasRows) {
        System.out.println(statement.getUpdateCount() + " rows affected");
        return 0;
      }
      try (ResultSet rows = statement.getResultSet()) {
        ResultPrinter.print(rows, format, new PrintStream(System.out, true));
      }
      return 0;
    } catch (SQLException e) {
      throw new CliException("query failed: " + firstLine(e.getMessage()));
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "(no message)";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
