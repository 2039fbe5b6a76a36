package dev.tracefix.sink.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracefix.sink.EventStore;
import dev.tracefix.sink.Retention;
import dev.tracefix.sink.SinkException;
import dev.tracefix.sink.StoreOptions;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;
import org.apache.arrow.memory.RootAllocator;

/**
 * Imports of exports that are damaged or not tracefix's: one file of the shipped recorded capture
 * truncated, overwritten, replaced by foreign Parquet or by Parquet with the right names and wrong
 * types. Each import either completes or is refused as a whole with a message naming the export,
 * and a refused import leaves the store exactly as it was.
 */
class ParquetImportFuzzTest {
  private static final Path EXPORT = Path.of("../examples/recorded-capture");
  private static final StoreOptions KEEP_ALL =
      StoreOptions.DEFAULT.withRetention(Retention.KEEP_ALL);
  private static final String CHECKSUM =
      "SELECT (SELECT count(*) FROM events) || '/' || (SELECT count(*) FROM captures) || '/'"
          + " || (SELECT count(*) FROM processes) || '/' || (SELECT coalesce(bit_xor(hash(e)),"
          + " 0) FROM events e)";

  enum Damage {
    TRUNCATED,
    BYTES_OVERWRITTEN,
    EMPTY,
    NOT_PARQUET,
    FOREIGN,
    WRONG_TYPES
  }

  @Property(tries = 30)
  void aDamagedExportImportsWholeOrIsRefusedLeavingTheStoreAsItWas(
      @ForAll Damage damage,
      @ForAll @IntRange(min = 0, max = 2) int fileIndex,
      @ForAll @DoubleRange(min = 0, max = 0.99) double where)
      throws Exception {
    Path dir = Files.createTempDirectory("import-fuzz");
    try (RootAllocator allocator = new RootAllocator()) {
      Path export = copy(EXPORT, dir.resolve("export"));
      List<Path> files;
      try (Stream<Path> all = Files.walk(export)) {
        files = all.filter(p -> p.toString().endsWith(".parquet")).sorted().toList();
      }
      Path victim = files.get(fileIndex % files.size());
      try (EventStore store = EventStore.open(dir.resolve("s.duckdb"), allocator, KEEP_ALL);
          Connection c = store.connect();
          Statement s = c.createStatement()) {
        // The store already holds the same capture under another id: the import must add it.
        store.importParquet(EXPORT);
        for (String table : List.of("captures", "events", "processes")) {
          s.execute("UPDATE " + table + " SET capture_id = 'c-before'");
        }
        harm(s, victim, damage, where);
        String before = scalar(s, CHECKSUM);
        try {
          long rows = store.importParquet(export);
          Statistics.collect(damage, "imported");
          assertTrue(rows >= 0);
        } catch (SinkException refused) {
          Statistics.collect(damage, "refused");
          assertTrue(
              refused.getMessage().contains(export.toString()), "names the export: " + refused);
          assertEquals(before, scalar(s, CHECKSUM), "a refused import changes nothing");
        }
      }
    } finally {
      try (Stream<Path> all = Files.walk(dir)) {
        all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static void harm(Statement s, Path file, Damage damage, double where) throws Exception {
    String target = "'" + file + "'";
    switch (damage) {
      case TRUNCATED -> {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
          f.setLength((long) (where * f.length()));
        }
      }
      case BYTES_OVERWRITTEN -> {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
          f.seek((long) (where * (f.length() - 16)));
          f.write(new byte[] {0x7f, 0, (byte) 0xff, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13});
        }
      }
      case EMPTY -> Files.write(file, new byte[0]);
      case NOT_PARQUET -> Files.writeString(file, "capture_id,time\nc-x,1\n");
      case FOREIGN ->
          s.execute(
              "COPY (SELECT range AS id, 'x' || range AS name FROM range(10)) TO "
                  + target
                  + " (FORMAT parquet)");
      case WRONG_TYPES ->
          s.execute(
              "COPY (SELECT range AS capture_id, 'not a time' AS time, [1, 2] AS type,"
                  + " 'p_x' AS process_token FROM range(5)) TO "
                  + target
                  + " (FORMAT parquet)");
    }
  }

  private static String scalar(Statement s, String sql) throws Exception {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static Path copy(Path from, Path to) throws IOException {
    try (Stream<Path> all = Files.walk(from)) {
      for (Path p : all.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
    return to;
  }
}
