package dev.tracefix.server.cli;

import dev.tracefix.server.ServerException;
import dev.tracefix.server.query.SavedQueries;
import dev.tracefix.server.query.SavedQuery;
import dev.tracefix.sink.EventStore;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tracefix query NAME [-p key=value]...}: runs a saved query of {@code queries/}. */
@Command(
    name = "query",
    mixinStandardHelpOptions = true,
    description = {
      "Run a saved query from the checkout's queries/ folder over a capture database, read-only.",
      "Its '-- parameters:' header names the parameters and their defaults; -p gives other values"
          + " (put in as SQL literals, never as SQL). --list shows every query with its"
          + " parameters."
    })
final class QueryCommand implements Callable<Integer> {
  @Parameters(paramLabel = "NAME", arity = "0..1", description = "the query, e.g. error-bursts")
  String name;

  @Option(names = "--list", description = "list the saved queries with their titles and parameters")
  boolean list;

  @Option(
      names = {"-p", "--parameter"},
      paramLabel = "KEY=VALUE",
      description = "a value for a parameter the query declares (repeatable)")
  Map<String, String> parameters = new LinkedHashMap<>();

  @Option(
      names = "--db",
      paramLabel = "FILE",
      description = "DuckDB file to query (default: .tracefix/workbench.duckdb; it must exist)")
  Path db;

  @Option(
      names = "--queries",
      paramLabel = "DIR",
      description = "folder of saved queries (default: the checkout's queries/)")
  Path queries;

  @Option(
      names = "--format",
      defaultValue = "table",
      description = "output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
  ResultFormat format;

  @Override
  public Integer call() throws Exception {
    SavedQueries saved =
        new SavedQueries(queries == null ? ProjectPaths.home().resolve("queries") : queries);
    if (list) {
      for (SavedQuery q : saved.list()) {
        System.out.printf("%-34s %s%n", q.name(), q.title());
        System.out.printf(
            "%-34s %s%n", "", q.parameters().isEmpty() ? "(no parameters)" : q.usage());
      }
      return 0;
    }
    if (name == null) {
      throw new ServerException(
          ServerException.Kind.INVALID, "name a saved query (tracefix query --list shows them)");
    }
    String sql = saved.get(name).bind(parameters);
    Path dbFile = db == null ? ProjectPaths.defaultDb() : db;
    if (!Files.exists(dbFile)) {
      throw new ServerException(
          ServerException.Kind.INVALID,
          "no database at "
              + dbFile
              + (db == null ? " (the default)" : "")
              + "; pass --db FILE, a database written by 'tracefix capture' or 'tracefix import'");
    }
    try (Connection connection = EventStore.connectReadOnly(dbFile);
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      ResultPrinter.print(rows, format, new PrintStream(System.out, true));
    } catch (SQLException e) {
      String message = String.valueOf(e.getMessage());
      int newline = message.indexOf('\n');
      throw new ServerException(
          ServerException.Kind.INVALID,
          "query " + name + " failed: " + (newline < 0 ? message : message.substring(0, newline)));
    }
    return 0;
  }
}
