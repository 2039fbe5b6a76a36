package dev.tracefix.sink.forget;

import dev.tracefix.sink.SinkException;
import dev.tracefix.sink.Subject;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Removes a subject's rows from a Parquet export folder. Each affected file is rewritten without
 * them (DuckDB reads it, writes {@code data_0.parquet.forget}, fsync, atomic rename, fsync the
 * directory) or deleted when nothing is left, so a reader sees either the old file or the new one.
 */
public final class ParquetForget {
  private static final String READ = "hive_partitioning = false, union_by_name = true";

  private ParquetForget() {}

  /** Rows removed per table ({@code parquet:<table>}) and files touched. */
  public record Outcome(Map<String, Long> rowsByTable, int filesRewritten) {}

  /** Whether the export under {@code dir} holds rows of {@code captureId}. */
  public static boolean holdsCapture(Connection connection, Path dir, String captureId)
      throws SQLException {
    Map<String, String> sources = sources(dir);
    for (String relation : sources.values()) {
      try (var query =
          connection.prepareStatement(
              "SELECT count(*) FROM " + relation + " WHERE capture_id = ?")) {
        query.setString(1, captureId);
        try (ResultSet rs = query.executeQuery()) {
          rs.next();
          if (rs.getLong(1) > 0) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** Whether any row of the export under {@code dir} belongs to {@code subject}. */
  public static boolean holds(Connection connection, Path dir, Subject subject)
      throws SQLException {
    if (subject instanceof Subject.Capture capture) {
      return holdsCapture(connection, dir, capture.captureId());
    }
    try {
      return !SubjectRows.prepare(connection, subject, sources(dir)).isEmpty(connection, null);
    } finally {
      SubjectRows.dropTemporaries(connection);
    }
  }

  public static Outcome run(Connection connection, Subject subject, Path dir) throws SQLException {
    Map<String, String> sources = sources(dir);
    SubjectRows rows = SubjectRows.prepare(connection, subject, sources);
    Map<String, Long> removed = new LinkedHashMap<>();
    int files = 0;
    try (Statement statement = connection.createStatement()) {
      for (String table : SubjectRows.TABLES) {
        Optional<String> predicate = rows.predicate(table);
        if (predicate.isEmpty() || !sources.containsKey(table)) {
          continue;
        }
        long tableRows = 0;
        for (Path file : parquetFiles(dir.resolve(table))) {
          long gone = rewrite(statement, table, predicate.get(), file);
          if (gone > 0) {
            tableRows += gone;
            files++;
          }
        }
        removed.put("parquet:" + table, tableRows);
      }
    } finally {
      SubjectRows.dropTemporaries(connection);
    }
    return new Outcome(removed, files);
  }

  private static long rewrite(Statement statement, String table, String predicate, Path file)
      throws SQLException {
    String relation = "read_parquet(" + literal(file) + ", " + READ + ") AS " + table;
    long total;
    long gone;
    try (ResultSet rs =
        statement.executeQuery(
            "SELECT count(*), count(*) FILTER (WHERE coalesce("
                + predicate
                + ", false)) FROM "
                + relation)) {
      rs.next();
      total = rs.getLong(1);
      gone = rs.getLong(2);
    }
    if (gone == 0) {
      return 0;
    }
    try {
      if (gone == total) {
        Files.delete(file);
        removeEmptyParents(file.getParent());
        return gone;
      }
      Path temp = file.resolveSibling(file.getFileName() + ".forget");
      Files.deleteIfExists(temp);
      statement.execute(
          "COPY (SELECT * FROM "
              + relation
              + " WHERE NOT coalesce("
              + predicate
              + ", false)) TO "
              + literal(temp)
              + " (FORMAT parquet, COMPRESSION zstd)");
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        channel.force(true);
      }
      try {
        dev.tracefix.capture.FileModes.active().tighten(temp); // DuckDB wrote it under the umask
      } catch (java.io.UncheckedIOException e) {
        throw e.getCause();
      }
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      try (FileChannel dirChannel = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
        dirChannel.force(true);
      }
      return gone;
    } catch (IOException e) {
      throw new SinkException(
          SinkException.Kind.RESOURCE,
          "cannot rewrite " + file + " without the forgotten rows: " + e.getMessage(),
          e);
    }
  }

  /** Removes the {@code key=value} partition directories the last file left empty. */
  private static void removeEmptyParents(Path dir) throws IOException {
    Path current = dir;
    while (current.getFileName().toString().contains("=")) {
      try (Stream<Path> entries = Files.list(current)) {
        if (entries.findAny().isPresent()) {
          return;
        }
      }
      Files.delete(current);
      current = current.getParent();
    }
  }

  /** Refuses a folder that is not a tracefix export ({@code USER}). */
  public static void checkExport(Path dir) {
    if (!Files.isDirectory(dir.resolve("captures")) && !Files.isDirectory(dir.resolve("events"))) {
      throw new SinkException(
          SinkException.Kind.USER,
          "no tracefix export at "
              + dir
              + ": expected captures/ or events/ folders of Parquet"
              + " files (written by tracefix export)");
    }
  }

  private static Map<String, String> sources(Path dir) {
    checkExport(dir);
    Map<String, String> sources = new LinkedHashMap<>();
    for (String table : SubjectRows.TABLES) {
      if (!parquetFiles(dir.resolve(table)).isEmpty()) {
        sources.put(
            table,
            "read_parquet(" + literal(dir.resolve(table) + "/**/*.parquet") + ", " + READ + ")");
      }
    }
    return sources;
  }

  private static List<Path> parquetFiles(Path tableDir) {
    if (!Files.isDirectory(tableDir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(tableDir)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".parquet")).sorted().toList();
    } catch (IOException e) {
      throw new SinkException(
          SinkException.Kind.RESOURCE, "cannot list " + tableDir + ": " + e.getMessage(), e);
    }
  }

  private static String literal(Object text) {
    return "'" + text.toString().replace("'", "''") + "'";
  }
}
