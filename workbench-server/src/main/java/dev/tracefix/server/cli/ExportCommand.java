package dev.tracefix.server.cli;

import dev.tracefix.sink.EventStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = "Export a capture database as Hive-partitioned Parquet (date=/host=/capture=).")
final class ExportCommand implements Callable<Integer> {
  @Option(names = "--db", required = true, description = "DuckDB file written by capture")
  Path db;

  @Option(names = "--parquet", required = true, description = "folder to write Parquet files into")
  Path dir;

  @Override
  public Integer call() {
    if (!Files.exists(db)) {
      throw new CliException("no database at " + db);
    }
    try (EventStore store = Stores.open(db)) {
      long rows = store.exportParquet(dir);
      System.out.printf("exported %d rows to %s%n", rows, dir);
    }
    return 0;
  }
}
