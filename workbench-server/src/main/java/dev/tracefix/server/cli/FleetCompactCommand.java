package dev.tracefix.server.cli;

import dev.tracefix.server.ServerException;
import dev.tracefix.sink.parquet.PartitionFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "compact",
    mixinStandardHelpOptions = true,
    description = {
      "Compact an export root many hosts export into: each partition's files are merged, sorted"
          + " by time and cut into files of at most the target size. New files are written and"
          + " counted before the old ones are deleted."
    })
final class FleetCompactCommand implements Callable<Integer> {
  @Option(names = "--root", required = true, description = "the export root (a local folder)")
  Path root;

  @Option(
      names = "--target-file-mb",
      defaultValue = "256",
      description = "largest Parquet file to write, in MiB (default 256)")
  long targetFileMb;

  @Override
  public Integer call() {
    if (targetFileMb <= 0) {
      throw new ServerException(
          ServerException.Kind.INVALID, "--target-file-mb must be positive, not " + targetFileMb);
    }
    List<PartitionFiles.Rewrite> done =
        PartitionFiles.rewriteRoot(root, targetFileMb * 1024 * 1024);
    System.out.printf(
        "compacted %d partitions: %d files into %d, %d rows%n",
        done.size(),
        done.stream().mapToInt(PartitionFiles.Rewrite::filesBefore).sum(),
        done.stream().mapToInt(PartitionFiles.Rewrite::filesAfter).sum(),
        done.stream().mapToLong(PartitionFiles.Rewrite::rows).sum());
    return 0;
  }
}
