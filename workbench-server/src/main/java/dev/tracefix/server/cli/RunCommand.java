package dev.tracefix.server.cli;

import dev.tracefix.server.ServerException;
import dev.tracefix.server.run.HeadlessRunner;
import dev.tracefix.sink.EventStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Run every cell of a notebook headless; exits 1 if any cell fails, naming it.",
      "Parameters declared in the notebook's front matter take other values with -p; SQL cells"
          + " see them as $name."
    })
final class RunCommand implements Callable<Integer> {
  @Parameters(paramLabel = "NOTEBOOK", description = "the notebook file (.md)")
  Path notebook;

  @Option(
      names = "--db",
      description = "DuckDB file to query (default: .tracefix/workbench.duckdb; it must exist)")
  Path db;

  @Option(
      names = {"-p", "--parameter"},
      paramLabel = "NAME=VALUE",
      description = "a value for a parameter the notebook declares (repeatable)")
  java.util.Map<String, String> parameters = new java.util.LinkedHashMap<>();

  @Option(
      names = "--ipynb",
      paramLabel = "FILE",
      description = "also write the executed notebook, outputs included, as Jupyter .ipynb")
  Path ipynb;

  @Override
  public Integer call() throws Exception {
    if (!Files.isRegularFile(notebook)) {
      throw new ServerException(ServerException.Kind.INVALID, "no notebook at " + notebook);
    }
    Path dbFile = db == null ? ProjectPaths.defaultDb() : db;
    if (!Files.exists(dbFile)) {
      // An empty database would run every cell "ok" with 0 rows: a wrong answer, not an error.
      throw new ServerException(
          ServerException.Kind.INVALID,
          "no database at "
              + dbFile
              + (db == null ? " (the default)" : "")
              + "; pass --db FILE, a database written by 'tracefix capture' or 'tracefix import'");
    }
    // Opened for schema and spool recovery, then closed: notebooks attach it read-only.
    try (EventStore store = Stores.open(dbFile)) {
      dbFile = store.dbFile();
    }
    HeadlessRunner.Result result =
        Workbench.headless(dbFile, System.out).run(notebook, parameters, ipynb);
    return result.failed() ? 1 : 0;
  }
}
