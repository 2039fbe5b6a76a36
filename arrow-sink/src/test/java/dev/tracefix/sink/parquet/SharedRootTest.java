package dev.tracefix.sink.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracefix.sink.SinkException;
import dev.tracefix.sink.TestKeys;
import dev.tracefix.sink.schema.StoreSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two hosts export into one shared root and both read back together; a capture exported a second
 * time is refused and the root is left exactly as it was.
 */
class SharedRootTest {
  @TempDir Path dir;

  @Test
  void hostsAddTheirCapturesBesideEachOtherAndACaptureIsExportedOnce() throws Exception {
    Path root = dir.resolve("fleet");
    try (Connection a = host("a");
        Connection b = host("b")) {
      SharedRoot.export(a, root, TestKeys.KEY, PartitionFiles.DEFAULT_TARGET_BYTES);
      SharedRoot.export(b, root, TestKeys.KEY, PartitionFiles.DEFAULT_TARGET_BYTES);
      List<Path> before = files(root);
      SinkException again =
          assertThrows(
              SinkException.class,
              () -> SharedRoot.export(a, root, TestKeys.KEY, PartitionFiles.DEFAULT_TARGET_BYTES));
      System.out.println(again.getMessage());
      assertEquals(SinkException.Kind.USER, again.kind());
      assertTrue(again.getMessage().contains("capture=a-0"), again.getMessage());
      assertEquals(before, files(root), "a refused export changed the root");
    }
    try (Connection reader = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = reader.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT count(*), count(DISTINCT capture) FROM read_parquet('"
                    + root
                    + "/events/**/*.parquet', hive_partitioning = true)")) {
      rs.next();
      assertEquals(2 * 2 * 50L, rs.getLong(1));
      assertEquals(4, rs.getLong(2));
    }
  }

  /** A store with two captures of its own host, {@code name-0} and {@code name-1}. */
  private static Connection host(String name) throws Exception {
    Connection c = DriverManager.getConnection("jdbc:duckdb:");
    StoreSchema.migrate(c);
    GenericRows.fill(c, 2, 50, 60);
    try (Statement s = c.createStatement()) {
      for (String table : ExportLayout.ALL) {
        s.execute("UPDATE " + table + " SET capture_id = '" + name + "-' || substr(capture_id, 5)");
      }
      s.execute("UPDATE captures SET host = 'node-" + name + "-' || substr(capture_id, 3)");
    }
    return c;
  }

  private static List<Path> files(Path root) throws Exception {
    try (Stream<Path> all = Files.walk(root)) {
      return all.filter(Files::isRegularFile).map(root::relativize).sorted().toList();
    }
  }
}
