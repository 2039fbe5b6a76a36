package dev.tracefix.server.cli;

import dev.tracefix.capture.privacy.keys.KeyStore;
import dev.tracefix.server.ServerException;
import dev.tracefix.sink.EventStore;
import dev.tracefix.sink.ExportResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = {
      "Export a capture database as Hive-partitioned Parquet (date=/host=/capture=).",
      "Every text value passes the capture recognizers first (keyed placeholders); a host name"
          + " they fire on becomes a keyed h_ token in folder names and columns."
    })
final class ExportCommand implements Callable<Integer> {
  @Option(names = "--db", required = true, description = "DuckDB file written by capture")
  Path db;

  @Option(names = "--parquet", required = true, description = "folder to write Parquet files into")
  Path dir;

  @Option(
      names = "--keys",
      description =
          "key store folder for placeholders (default: ~/.tracefix/keys or $TRACEFIX_KEYS)")
  Path keys;

  @Option(
      names = "--target-file-mb",
      defaultValue = "256",
      description =
          "largest Parquet file to write, in MiB (default 256): each partition's rows are sorted"
              + " by time and cut into files of at most this size, its small files merged")
  long targetFileMb;

  @Option(
      names = "--shared",
      description =
          "the folder is a root many hosts export into (a mounted shared store): add this"
              + " store's captures beside the others; refused, with nothing written, if one is"
              + " already there")
  boolean shared;

  @Override
  public Integer call() {
    if (targetFileMb <= 0) {
      throw new ServerException(
          ServerException.Kind.INVALID, "--target-file-mb must be positive, not " + targetFileMb);
    }
    if (!Files.exists(db)) {
      throw new ServerException(ServerException.Kind.INVALID, "no database at " + db);
    }
    try (EventStore store = Stores.open(db)) {
      var key = KeyStore.current(keys == null ? KeyStoreLocation.defaultDir() : keys);
      long targetBytes = targetFileMb * 1024 * 1024;
      ExportResult result =
          shared
              ? store.exportParquetShared(dir, key, targetBytes)
              : store.exportParquet(dir, key, targetBytes);
      System.out.printf(
          "exported %d rows to %s; redacted %d distinct values (%s) under key %s%n",
          result.rows(), dir, result.changedValues(), result.replacementSummary(), result.keyId());
    }
    return 0;
  }
}
