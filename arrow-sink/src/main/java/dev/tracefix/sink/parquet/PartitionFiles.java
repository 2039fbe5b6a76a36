package dev.tracefix.sink.parquet;

import static dev.tracefix.sink.parquet.ExportLayout.literal;

import dev.tracefix.capture.FileModes;
import dev.tracefix.sink.SinkException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * Lays out the files of one partition folder the way a distributed engine reads them well: rows
 * sorted by time (so each row group covers a time range and its min/max statistics let a reader
 * skip it), and files near a target size: the partition's small files are merged, and a partition
 * larger than the target is cut into consecutive time ranges of at most that size.
 *
 * <p>DuckDB's partitioned {@code COPY} writes each partition's rows in whatever order its threads
 * reach them, even under {@code ORDER BY}; this rewrite is what makes the order hold. Nothing is
 * lost on the way: the new files are written beside the old under hidden names (engines skip names
 * starting with a dot), their row count is checked against the old files', and only then are the
 * old ones deleted and the new ones named {@code part-00000.parquet}, {@code part-00001.parquet},
 * ... in time order.
 */
public final class PartitionFiles {
  /** The default target size of one file: within the 128–512 MiB engines like to split. */
  public static final long DEFAULT_TARGET_BYTES = 256L * 1024 * 1024;

  private static final String OPTIONS = "FORMAT parquet, COMPRESSION zstd";

  private PartitionFiles() {}

  /** What a rewrite did to one partition folder. */
  public record Rewrite(Path partition, int filesBefore, int filesAfter, long rows) {}

  /**
   * Rewrites every partition folder under {@code tableDir} (each folder holding Parquet files) as
   * sorted files of at most {@code targetBytes} (only a single row bigger than that would make a
   * bigger file).
   */
  public static List<Rewrite> rewriteTable(Statement statement, Path tableDir, long targetBytes) {
    if (targetBytes <= 0) {
      throw new SinkException(
          SinkException.Kind.USER, "target file size must be positive, not " + targetBytes);
    }
    List<Rewrite> done = new ArrayList<>();
    for (Path partition : partitionFolders(tableDir)) {
      done.add(rewrite(statement, partition, targetBytes));
    }
    return done;
  }

  /**
   * Rewrites every table of the export root {@code root} (a shared folder many hosts export into)
   * the way {@link #rewriteTable} does; folders that are not an exported table are left alone.
   */
  public static List<Rewrite> rewriteRoot(Path root, long targetBytes) {
    if (!Files.isDirectory(root)) {
      throw new SinkException(SinkException.Kind.USER, "no export root at " + root);
    }
    List<Rewrite> done = new ArrayList<>();
    try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
        Statement statement = duckdb.createStatement()) {
      for (String table : ExportLayout.ALL) {
        done.addAll(rewriteTable(statement, root.resolve(table), targetBytes));
      }
    } catch (SQLException e) {
      throw new SinkException(
          SinkException.Kind.RESOURCE, "compacting " + root + " failed: " + e.getMessage(), e);
    }
    FileModes.active().tightenTree(root);
    return done;
  }

  /** Folders under {@code tableDir} (itself included) that hold Parquet files directly. */
  static List<Path> partitionFolders(Path tableDir) {
    if (!Files.isDirectory(tableDir)) {
      return List.of();
    }
    try (Stream<Path> dirs = Files.walk(tableDir)) {
      return dirs.filter(Files::isDirectory).filter(d -> !parquetFiles(d).isEmpty()).toList();
    } catch (IOException e) {
      throw new SinkException(
          SinkException.Kind.RESOURCE, "cannot list " + tableDir + ": " + e.getMessage(), e);
    }
  }

  /** The visible Parquet files of one folder, by name (engines skip names starting . or _). */
  static List<Path> parquetFiles(Path folder) {
    try (Stream<Path> files = Files.list(folder)) {
      return files
          .filter(Files::isRegularFile)
          .filter(
              f -> {
                String name = f.getFileName().toString();
                return name.endsWith(".parquet") && !name.startsWith(".") && !name.startsWith("_");
              })
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new SinkException(
          SinkException.Kind.RESOURCE, "cannot list " + folder + ": " + e.getMessage(), e);
    }
  }

  /** Merges, sorts and cuts the files of one partition folder. */
  static Rewrite rewrite(Statement statement, Path partition, long targetBytes) {
    List<Path> before = parquetFiles(partition);
    String batch = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    Path merged = partition.resolve(".merge-" + batch + ".parquet");
    List<Path> written = new ArrayList<>();
    try {
      // by name: in a shared root, hosts of different versions may have left different columns
      String source =
          "read_parquet("
              + listLiteral(before)
              + ", hive_partitioning = false, union_by_name = true)";
      long rows = count(statement, "SELECT count(*) FROM " + source);
      statement.execute(
          "COPY (SELECT * FROM "
              + source
              + " ORDER BY "
              + sortKey(statement, source)
              + ") TO "
              + literal(merged)
              + " ("
              + OPTIONS
              + ")");
      cut(statement, merged, rows, targetBytes, partition, ".part-" + batch, written);
      long after = 0;
      for (Path file : written) {
        after += count(statement, "SELECT count(*) FROM read_parquet(" + literal(file) + ")");
      }
      if (after != rows) {
        throw new SinkException(
            SinkException.Kind.INTERNAL,
            "rewriting " + partition + " gave " + after + " rows instead of " + rows);
      }
      for (Path old : before) {
        Files.delete(old);
      }
      // Hidden until now, so no reader saw old and new rows at once; the names are stable, so an
      // export written twice has the same files.
      for (int i = 0; i < written.size(); i++) {
        Files.move(written.get(i), partition.resolve(String.format("part-%05d.parquet", i)));
      }
      return new Rewrite(partition, before.size(), written.size(), rows);
    } catch (SQLException | IOException | RuntimeException e) {
      for (Path file : written) {
        deleteQuietly(file); // the old files are still there, whole
      }
      if (e instanceof SinkException s) {
        throw s;
      }
      throw new SinkException(
          SinkException.Kind.RESOURCE,
          "rewriting the Parquet files of " + partition + " failed: " + e.getMessage(),
          e);
    } finally {
      deleteQuietly(merged);
    }
  }

  /**
   * Writes {@code sorted} as consecutive row ranges of at most {@code targetBytes} each, in the
   * order of its rows; a range still too big is cut again (each cut has fewer rows, so it ends).
   */
  private static void cut(
      Statement statement,
      Path sorted,
      long rows,
      long targetBytes,
      Path partition,
      String prefix,
      List<Path> written)
      throws SQLException, IOException {
    long size = Files.size(sorted);
    if (size <= targetBytes || rows <= 1) {
      Path target = partition.resolve(String.format("%s-%05d.parquet", prefix, written.size()));
      Files.move(sorted, target);
      written.add(target);
      return;
    }
    long pieces = Math.min(rows, (size + targetBytes - 1) / targetBytes);
    long perPiece = (rows + pieces - 1) / pieces;
    for (long start = 0; start < rows; start += perPiece) {
      Path piece =
          partition.resolve(
              ".cut-"
                  + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt())
                  + ".parquet");
      try {
        // file_row_number is the row's place in the sorted file: consecutive ranges of it are
        // consecutive time ranges, with no row in two pieces or in none, ties included.
        statement.execute(
            "COPY (SELECT * EXCLUDE (file_row_number) FROM read_parquet("
                + literal(sorted)
                + ", file_row_number = true, hive_partitioning = false) WHERE file_row_number >= "
                + start
                + " AND file_row_number < "
                + (start + perPiece)
                + " ORDER BY file_row_number) TO "
                + literal(piece)
                + " ("
                + OPTIONS
                + ")");
        cut(
            statement,
            piece,
            Math.min(perPiece, rows - start),
            targetBytes,
            partition,
            prefix,
            written);
      } finally {
        deleteQuietly(piece);
      }
    }
  }

  /** {@code time} where the table has it (events, syscall_stats' interval), else every column. */
  private static String sortKey(Statement statement, String source) throws SQLException {
    List<String> columns = new ArrayList<>();
    try (ResultSet rs = statement.executeQuery("DESCRIBE SELECT * FROM " + source)) {
      while (rs.next()) {
        columns.add(rs.getString(1));
      }
    }
    for (String key : List.of("time", "interval_start", "started_at")) {
      if (columns.contains(key)) {
        return "\"" + key + "\"";
      }
    }
    return "ALL";
  }

  private static long count(Statement statement, String sql) throws SQLException {
    try (ResultSet rs = statement.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static String listLiteral(List<Path> files) {
    return "[" + String.join(", ", files.stream().map(ExportLayout::literal).toList()) + "]";
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // a leftover hidden file; engines skip names starting with a dot
    }
  }
}
