package dev.tracefix.sink.parquet;

import dev.tracefix.capture.FileModes;
import dev.tracefix.capture.privacy.keys.HmacKey;
import dev.tracefix.sink.ExportResult;
import dev.tracefix.sink.SinkException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * Exports into a root many hosts export into (a mounted shared store): the export is written whole
 * into a hidden folder of the root, then its partition folders are moved into place. A capture
 * already in the root is refused before anything moves, so no capture is written twice and a
 * refused export leaves the root as it was.
 */
public final class SharedRoot {
  private SharedRoot() {}

  /** Exports every capture of {@code connection}'s store into the shared {@code root}. */
  public static ExportResult export(
      Connection connection, Path root, HmacKey key, long targetFileBytes) {
    try {
      Files.createDirectories(root, FileModes.active().directoryAttribute());
    } catch (IOException e) {
      throw new SinkException(
          SinkException.Kind.RESOURCE,
          "cannot create export root " + root + ": " + e.getMessage(),
          e);
    }
    Path staging =
        root.resolve(
            ".incoming-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()));
    try {
      ExportResult result = ParquetExport.write(connection, staging, key, targetFileBytes);
      List<Path> partitions = new ArrayList<>();
      for (String table : ExportLayout.ALL) {
        partitions.addAll(PartitionFiles.partitionFolders(staging.resolve(table)));
      }
      Set<String> present = new TreeSet<>();
      for (Path partition : partitions) {
        Path target = root.resolve(staging.relativize(partition));
        if (Files.exists(target)) {
          present.add(target.getFileName().toString());
        }
      }
      if (!present.isEmpty()) {
        throw new SinkException(
            SinkException.Kind.USER,
            root
                + " already holds "
                + String.join(", ", present)
                + "; nothing was moved in (a capture is exported once)");
      }
      for (Path partition : partitions) {
        Path target = root.resolve(staging.relativize(partition));
        Files.createDirectories(target.getParent(), FileModes.active().directoryAttribute());
        Files.move(partition, target);
      }
      return result;
    } catch (IOException e) {
      throw new SinkException(
          SinkException.Kind.RESOURCE,
          "moving the export into " + root + " failed: " + e.getMessage(),
          e);
    } finally {
      deleteTree(staging);
    }
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException ignored) {
      // a hidden leftover; engines skip folders starting with a dot
    }
  }
}
