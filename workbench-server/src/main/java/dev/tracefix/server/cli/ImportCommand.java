package dev.tracefix.server.cli;

import dev.tracefix.server.ServerException;
import dev.tracefix.sink.EventStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    description = "Load a Parquet export (from this or another host) into a database; idempotent.")
final class ImportCommand implements Callable<Integer> {
  @Option(names = "--db", required = true, description = "DuckDB file to load into")
  Path db;

  @Option(names = "--parquet", required = true, description = "folder written by tracefix export")
  Path dir;

  @Override
  public Integer call() {
    if (!Files.isDirectory(dir)) {
      throw new ServerException(ServerException.Kind.INVALID, "no export folder at " + dir);
    }
    try (EventStore store = Stores.open(db)) {
      long rows = store.importParquet(dir);
      System.out.printf("imported %d rows from %s into %s%n", rows, dir, db);
    }
    return 0;
  }
}
