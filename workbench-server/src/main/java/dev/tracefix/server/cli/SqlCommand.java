package dev.tracefix.server.cli;

import dev.tracefix.server.ServerException;
import dev.tracefix.sink.EventStore;
import dev.tracefix.sink.schema.StoreSchema;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "sql",
    mixinStandardHelpOptions = true,
    description = {
      "Run one SQL query over a capture database and print the result.",
      "The database is opened read-only (nothing is migrated, ingested or deleted) unless --write"
          + " is given."
    })
final class SqlCommand implements Callable<Integer> {
  @Option(names = "--db", required = true, description = "DuckDB file written by capture")
  Path db;

  @Option(
      names = "--format",
      defaultValue = "table",
      description = "output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
  ResultFormat format;

  @Option(
      names = "--write",
      description =
          "open the database for writing: the query may change it, the schema is upgraded and"
              + " spooled batches a crashed capture left are stored first")
  boolean write;

  @Parameters(paramLabel = "QUERY", description = "the SQL query (DuckDB dialect)")
  String query;

  @Override
  public Integer call() throws Exception {
    if (!Files.exists(db)) {
      throw new ServerException(
          ServerException.Kind.INVALID,
          "no database at " + db + "; create one with 'tracefix capture --db " + db + "'");
    }
    if (write) {
      try (EventStore store = Stores.open(db);
          Connection connection = store.connect()) {
        return run(connection);
      }
    }
    warnAboutSpooledBatches();
    try (Connection connection = EventStore.connectReadOnly(db)) {
      try {
        return run(connection);
      } catch (ServerException e) {
        int version = EventStore.schemaVersion(connection);
        if (e.getMessage().contains("read-only")) {
          throw new ServerException(
              ServerException.Kind.INVALID,
              e.getMessage() + "; the database is opened read-only: add --write");
        }
        if (version < StoreSchema.CURRENT_VERSION) {
          throw new ServerException(
              ServerException.Kind.INVALID,
              e.getMessage()
                  + " (the database has schema version "
                  + version
                  + ", older than "
                  + StoreSchema.CURRENT_VERSION
                  + "; run a query with --write once to upgrade it)");
        }
        throw e;
      }
    }
  }

  private int run(Connection connection) {
    try (Statement statement = connection.createStatement()) {
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
      throw new ServerException(
          ServerException.Kind.INVALID, "query failed: " + firstLine(e.getMessage()));
    }
  }

  /** Read-only leaves a crashed capture's spooled batches alone: say that they are not counted. */
  private void warnAboutSpooledBatches() throws java.io.IOException {
    Path spool = EventStore.defaultSpoolDir(db);
    if (!Files.isDirectory(spool)) {
      return;
    }
    try (Stream<Path> files = Files.list(spool)) {
      long waiting = files.filter(f -> f.getFileName().toString().endsWith(".arrows")).count();
      if (waiting > 0) {
        System.err.println(
            "tracefix sql: "
                + waiting
                + " spooled batches in "
                + spool
                + " are not stored yet and"
                + " not in this result; any command that writes (e.g. sql --write) stores them");
      }
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
