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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated table definitions against a real export: each CREATE TABLE lists exactly the
 * columns the table's Parquet files hold, in their order, then the partition columns the folders
 * name, in folder order; each with the engine type that reads the file's Parquet type (mapped here
 * on its own, from the types the files hold, not from the generator's table).
 */
class FleetDdlTest {
  @TempDir static Path dir;
  static Path root;

  /** File type (as DuckDB reads the Parquet schema) → Trino, Spark. */
  private static final Map<String, List<String>> READS_AS =
      Map.of(
          "VARCHAR", List.of("varchar", "STRING"),
          "BIGINT", List.of("bigint", "BIGINT"),
          "INTEGER", List.of("integer", "INT"),
          "TIMESTAMP_NS", List.of("timestamp", "BIGINT"),
          "TIMESTAMP", List.of("timestamp", "TIMESTAMP_NTZ"),
          "DATE", List.of("date", "DATE"),
          "BOOLEAN", List.of("boolean", "BOOLEAN"),
          "DOUBLE", List.of("double", "DOUBLE"),
          "VARCHAR[]", List.of("array(varchar)", "ARRAY<STRING>"),
          "BIGINT[]", List.of("array(bigint)", "ARRAY<BIGINT>"));

  private static final Pattern CREATE =
      Pattern.compile(
          "CREATE TABLE IF NOT EXISTS (\\S+) \\(\\n(.*?)\\n\\)\\n(.*?);\\n", Pattern.DOTALL);

  @BeforeAll
  static void export() throws Exception {
    root = dir.resolve("fleet root");
    try (Connection store = DriverManager.getConnection("jdbc:duckdb:")) {
      StoreSchema.migrate(store);
      GenericRows.fill(store, 2, 5, 60);
      ParquetExport.write(store, root, TestKeys.KEY);
    }
  }

  @Test
  void trinoTablesListTheExportsColumnsAndPartitions() throws Exception {
    check(FleetDdl.Engine.TRINO, 0);
  }

  @Test
  void sparkTablesListTheExportsColumnsAndPartitions() throws Exception {
    check(FleetDdl.Engine.SPARK, 1);
  }

  @Test
  void refusesAnUnknownEngineAndAQuotedSchemaName() {
    assertThrows(SinkException.class, () -> FleetDdl.Engine.parse("presto"));
    assertThrows(
        SinkException.class,
        () -> FleetDdl.ddl(FleetDdl.Engine.SPARK, "s3://b/t", "hive", "x; DROP TABLE y"));
    String s3 = FleetDdl.ddl(FleetDdl.Engine.TRINO, "s3://bucket/tracefix/", "hive", "tracefix");
    assertTrue(s3.contains("external_location = 's3://bucket/tracefix/events'"), s3);
  }

  private void check(FleetDdl.Engine engine, int column) throws Exception {
    String ddl = FleetDdl.ddl(engine, root.toString(), "hive", "tracefix");
    System.out.println(ddl.lines().limit(40).reduce("", (a, b) -> a + b + "\n"));
    Matcher m = CREATE.matcher(ddl);
    int tables = 0;
    try (Connection reader = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = reader.createStatement()) {
      while (m.find()) {
        tables++;
        String table = m.group(1).substring(m.group(1).lastIndexOf('.') + 1);
        Map<String, String> declared = new LinkedHashMap<>();
        for (String line : m.group(2).split(",\n")) {
          String[] nameType = line.strip().split(" ", 2);
          declared.put(nameType[0].substring(1, nameType[0].length() - 1), nameType[1]);
        }
        Path tableDir = root.resolve(table);
        Map<String, String> expected = new LinkedHashMap<>();
        try (ResultSet rs =
            s.executeQuery(
                "DESCRIBE SELECT * FROM read_parquet('"
                    + tableDir
                    + "/**/*.parquet', hive_partitioning = false, union_by_name = true)")) {
          while (rs.next()) {
            List<String> engines = READS_AS.get(rs.getString(2));
            assertTrue(engines != null, table + "." + rs.getString(1) + ": " + rs.getString(2));
            expected.put(rs.getString(1), engines.get(column));
          }
        }
        List<String> folderKeys = folderKeys(tableDir);
        Map<String, String> partitionTypes =
            Map.of("date", "DATE", "host", "VARCHAR", "capture", "VARCHAR");
        for (String key : folderKeys) {
          expected.put(key, READS_AS.get(partitionTypes.get(key)).get(column));
        }
        assertEquals(
            new ArrayList<>(expected.entrySet()),
            new ArrayList<>(declared.entrySet()),
            table + " for " + engine);
        String location = "file://" + tableDir.toAbsolutePath();
        assertTrue(m.group(3).contains("'" + location + "'"), m.group(3));
        String keys =
            engine == FleetDdl.Engine.TRINO
                ? "partitioned_by = ARRAY['" + String.join("', '", folderKeys) + "']"
                : "PARTITIONED BY (`" + String.join("`, `", folderKeys) + "`)";
        assertTrue(m.group(3).contains(keys), m.group(3));
        assertTrue(
            ddl.contains(
                engine == FleetDdl.Engine.TRINO
                    ? "sync_partition_metadata('tracefix', '" + table + "', 'FULL')"
                    : "MSCK REPAIR TABLE tracefix." + table + ";"),
            table);
      }
    }
    assertEquals(ExportLayout.ALL.size(), tables, ddl);
  }

  /** The partition keys of a table's first file, from its folder names, in folder order. */
  private static List<String> folderKeys(Path tableDir) throws Exception {
    try (Stream<Path> files = Files.walk(tableDir)) {
      Path file =
          files.filter(f -> f.toString().endsWith(".parquet")).sorted().findFirst().orElseThrow();
      List<String> keys = new ArrayList<>();
      for (Path segment : tableDir.relativize(file.getParent())) {
        keys.add(segment.toString().substring(0, segment.toString().indexOf('=')));
      }
      return keys;
    }
  }
}
