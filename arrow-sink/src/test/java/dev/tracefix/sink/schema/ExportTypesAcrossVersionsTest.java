package dev.tracefix.sink.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracefix.sink.TestKeys;
import dev.tracefix.sink.parquet.ExportColumns;
import dev.tracefix.sink.parquet.GenericRows;
import dev.tracefix.sink.parquet.ParquetExport;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fleet's hosts run different tracefix versions, and an engine reads all their exports with one
 * table definition: every schema version's export must hold each column with the type the current
 * declaration gives it ({@link ExportColumns}), or a reader of the whole fleet fails (or silently
 * widens). For every version this builds a store at that version, fills each table it has, exports
 * it as it is (what a host of that version ships) and again after migrating it to the current
 * version (what it ships once upgraded), then checks every file's column types against the one
 * definition and reads all exports together with it.
 */
class ExportTypesAcrossVersionsTest {
  @TempDir Path dir;

  @Test
  void everyVersionsExportReadsWithTheCurrentTableDefinition() throws Exception {
    List<ExportColumns.Table> declared = ExportColumns.declared();
    Path fleet = Files.createDirectories(dir.resolve("fleet"));
    long start = System.nanoTime();
    for (int version = 1; version <= StoreSchema.CURRENT_VERSION; version++) {
      try (Connection store = DriverManager.getConnection("jdbc:duckdb:")) {
        StoreSchema.migrate(store, version);
        GenericRows.fill(store, 1, 3, 60);
        ParquetExport.write(store, fleet.resolve("v" + version + "-as-written"), TestKeys.KEY);
        StoreSchema.migrate(store);
        ParquetExport.write(store, fleet.resolve("v" + version + "-upgraded"), TestKeys.KEY);
      }
    }
    System.out.printf(
        "%d versions exported twice in %d ms%n",
        StoreSchema.CURRENT_VERSION, (System.nanoTime() - start) / 1_000_000);
    List<String> drift = new ArrayList<>();
    int files = 0;
    try (Connection reader = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = reader.createStatement()) {
      for (ExportColumns.Table table : declared) {
        Map<String, String> types = new LinkedHashMap<>();
        table.columns().forEach(c -> types.put(c.name(), c.type()));
        for (Path file : parquetFiles(fleet, table.name())) {
          files++;
          for (String[] column :
              describe(s, "read_parquet('" + file + "', hive_partitioning = false)")) {
            String want = types.get(column[0]);
            if (!column[1].equals(want)) {
              drift.add(
                  fleet.relativize(file)
                      + ": "
                      + column[0]
                      + " is "
                      + column[1]
                      + ", the definition says "
                      + (want == null ? "no such column" : want));
            }
          }
        }
        // All versions together, with the partition columns typed by the definition.
        String hiveTypes =
            String.join(
                ", ",
                table.partitions().stream().map(c -> "'" + c.name() + "': " + c.type()).toList());
        String union =
            "read_parquet('"
                + fleet
                + "/*/"
                + table.name()
                + "/**/*.parquet', hive_partitioning = true, union_by_name = true,"
                + " hive_types = {"
                + hiveTypes
                + "})";
        Map<String, String> wanted = new LinkedHashMap<>();
        table.all().forEach(c -> wanted.put(c.name(), c.type()));
        Map<String, String> read = new LinkedHashMap<>();
        for (String[] column : describe(s, union)) {
          read.put(column[0], column[1]);
        }
        read.remove("filename");
        for (var e : read.entrySet()) {
          if (!e.getValue().equals(wanted.get(e.getKey()))) {
            drift.add(
                "all exports of "
                    + table.name()
                    + ": "
                    + e.getKey()
                    + " reads as "
                    + e.getValue()
                    + ", the definition says "
                    + wanted.get(e.getKey()));
          }
        }
        if (table.name().equals("events")) {
          try (ResultSet rs =
              s.executeQuery(
                  "SELECT count(*), count(DISTINCT capture), count(cpu) FROM " + union)) {
            rs.next();
            System.out.printf(
                "events of %d versions' exports read together: %d rows, %d captures, %d with"
                    + " the newest column%n",
                StoreSchema.CURRENT_VERSION, rs.getLong(1), rs.getLong(2), rs.getLong(3));
            assertEquals(3L * 2 * StoreSchema.CURRENT_VERSION, rs.getLong(1));
          }
        }
      }
    }
    System.out.println(files + " files checked against the one table definition");
    assertTrue(files > 2 * StoreSchema.CURRENT_VERSION, "too few files: " + files);
    assertEquals(List.of(), drift.subList(0, Math.min(drift.size(), 12)), drift.size() + " drifts");
  }

  private static List<Path> parquetFiles(Path fleet, String table) throws Exception {
    try (Stream<Path> all = Files.walk(fleet)) {
      return all.filter(p -> p.toString().endsWith(".parquet"))
          .filter(p -> fleet.relativize(p).getName(1).toString().equals(table))
          .sorted()
          .toList();
    }
  }

  private static List<String[]> describe(Statement s, String source) throws Exception {
    List<String[]> columns = new ArrayList<>();
    try (ResultSet rs = s.executeQuery("DESCRIBE SELECT * FROM " + source)) {
      while (rs.next()) {
        columns.add(new String[] {rs.getString(1), rs.getString(2)});
      }
    }
    return columns;
  }
}
