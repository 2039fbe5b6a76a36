package dev.tracefix.sink.parquet;

import dev.tracefix.sink.SinkException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * The table definitions a distributed engine needs to read an export root in place, generated from
 * {@link ExportColumns} (the store's one declaration of its columns): the Trino Hive connector's
 * {@code CREATE TABLE ... WITH (external_location, partitioned_by)} or Spark SQL's {@code CREATE
 * TABLE ... USING parquet PARTITIONED BY ... LOCATION}, each followed by the statement that
 * discovers the partitions already in the folders.
 */
public final class FleetDdl {
  /** An engine that reads Hive-partitioned Parquet where it lies. */
  public enum Engine {
    TRINO,
    SPARK;

    /** {@code trino} or {@code spark}, any case. */
    public static Engine parse(String name) {
      for (Engine e : values()) {
        if (e.name().equalsIgnoreCase(name)) {
          return e;
        }
      }
      throw new SinkException(
          SinkException.Kind.USER, "unknown engine '" + name + "': use trino or spark");
    }
  }

  /** A schema (database) name the engines take without quoting. */
  private static final Pattern PLAIN_NAME = Pattern.compile("[a-z_][a-z0-9_]*");

  private FleetDdl() {}

  /**
   * The statements for every exported table under {@code root} (a URI such as {@code
   * s3://bucket/tracefix} or a local folder), in schema {@code schema}; for Trino in catalog {@code
   * catalog}.
   */
  public static String ddl(Engine engine, String root, String catalog, String schema) {
    if (!PLAIN_NAME.matcher(schema).matches() || !PLAIN_NAME.matcher(catalog).matches()) {
      throw new SinkException(
          SinkException.Kind.USER,
          "catalog and schema names are lower-case words ([a-z_][a-z0-9_]*), not '"
              + catalog
              + "' and '"
              + schema
              + "'");
    }
    String location = rootUri(root);
    StringBuilder out = new StringBuilder();
    if (engine == Engine.TRINO) {
      out.append("-- Trino, Hive connector over the tracefix export at ")
          .append(location)
          .append(
              "\n-- Set hive.timestamp-precision=NANOSECONDS in the catalog to keep the"
                  + " nanoseconds of events.time.\n")
          .append("CREATE SCHEMA IF NOT EXISTS ")
          .append(catalog)
          .append('.')
          .append(schema)
          .append(";\n");
    } else {
      out.append("-- Spark SQL over the tracefix export at ")
          .append(location)
          .append(
              "\n-- events.time is Parquet TIMESTAMP(NANOS): Spark 4.2 reads it as BIGINT"
                  + " nanoseconds since the epoch\n-- (timestamp_micros(time DIV 1000) makes it a"
                  + " timestamp); Spark 4.1 and older refuse that type.\n")
          .append("CREATE DATABASE IF NOT EXISTS ")
          .append(schema)
          .append(";\n");
    }
    for (ExportColumns.Table table : ExportColumns.declared()) {
      out.append('\n')
          .append(
              engine == Engine.TRINO
                  ? trino(table, location, catalog + "." + schema)
                  : spark(table, location, schema));
    }
    return out.toString();
  }

  private static String trino(ExportColumns.Table table, String root, String qualified) {
    String name = qualified + "." + table.name();
    return "CREATE TABLE IF NOT EXISTS "
        + name
        + " (\n"
        + columnList(table, c -> "\"" + c + "\"", FleetDdl::trinoType)
        + "\n)\nWITH (\n  external_location = "
        + literal(root + "/" + table.name())
        + ",\n  format = 'PARQUET',\n  partitioned_by = ARRAY["
        + String.join(", ", table.partitions().stream().map(c -> literal(c.name())).toList())
        + "]\n);\nCALL "
        + qualified.substring(0, qualified.indexOf('.'))
        + ".system.sync_partition_metadata("
        + literal(qualified.substring(qualified.indexOf('.') + 1))
        + ", "
        + literal(table.name())
        + ", 'FULL');\n";
  }

  private static String spark(ExportColumns.Table table, String root, String schema) {
    String name = schema + "." + table.name();
    return "CREATE TABLE IF NOT EXISTS "
        + name
        + " (\n"
        + columnList(table, c -> "`" + c + "`", FleetDdl::sparkType)
        + "\n)\nUSING parquet\nPARTITIONED BY ("
        + String.join(", ", table.partitions().stream().map(c -> "`" + c.name() + "`").toList())
        + ")\nLOCATION "
        + literal(root + "/" + table.name())
        + ";\nMSCK REPAIR TABLE "
        + name
        + ";\n";
  }

  /** One line per column, the file's columns first and the partition columns last. */
  private static String columnList(
      ExportColumns.Table table, UnaryOperator<String> quote, UnaryOperator<String> type) {
    List<String> lines =
        table.all().stream()
            .map(c -> "  " + quote.apply(c.name()) + " " + type.apply(c.type()))
            .toList();
    return String.join(",\n", lines);
  }

  /** The Trino type of a DuckDB type; every type the store uses has one. */
  public static String trinoType(String duckdb) {
    if (duckdb.endsWith("[]")) {
      return "array(" + trinoType(duckdb.substring(0, duckdb.length() - 2)) + ")";
    }
    return switch (duckdb.toUpperCase(Locale.ROOT)) {
      case "VARCHAR" -> "varchar";
      case "BIGINT" -> "bigint";
      case "INTEGER" -> "integer";
      case "SMALLINT" -> "smallint";
      case "TINYINT" -> "tinyint";
      case "BOOLEAN" -> "boolean";
      case "DOUBLE" -> "double";
      case "FLOAT" -> "real";
      case "DATE" -> "date";
      // The Hive connector declares every timestamp plain and reads it at the catalog's
      // hive.timestamp-precision.
      case "TIMESTAMP", "TIMESTAMP_NS", "TIMESTAMP_MS" -> "timestamp";
      default -> throw unmapped("Trino", duckdb);
    };
  }

  /** The Spark SQL type of a DuckDB type; every type the store uses has one. */
  public static String sparkType(String duckdb) {
    if (duckdb.endsWith("[]")) {
      return "ARRAY<" + sparkType(duckdb.substring(0, duckdb.length() - 2)) + ">";
    }
    return switch (duckdb.toUpperCase(Locale.ROOT)) {
      case "VARCHAR" -> "STRING";
      case "BIGINT" -> "BIGINT";
      case "INTEGER" -> "INT";
      case "SMALLINT" -> "SMALLINT";
      case "TINYINT" -> "TINYINT";
      case "BOOLEAN" -> "BOOLEAN";
      case "DOUBLE" -> "DOUBLE";
      case "FLOAT" -> "FLOAT";
      case "DATE" -> "DATE";
      // DuckDB writes TIMESTAMP without a zone (isAdjustedToUTC = false): Spark's TIMESTAMP_NTZ.
      case "TIMESTAMP", "TIMESTAMP_MS" -> "TIMESTAMP_NTZ";
      case "TIMESTAMP_NS" -> "BIGINT";
      default -> throw unmapped("Spark", duckdb);
    };
  }

  private static SinkException unmapped(String engine, String duckdb) {
    return new SinkException(
        SinkException.Kind.INTERNAL,
        "the store has a column of type "
            + duckdb
            + " that FleetDdl does not map to a "
            + engine
            + " type yet; add it there");
  }

  /** The root as a URI with no trailing slash: kept when it has a scheme, else a local folder. */
  static String rootUri(String root) {
    if (root == null || root.isBlank()) {
      throw new SinkException(SinkException.Kind.USER, "--root is empty");
    }
    String trimmed = root.strip();
    String uri;
    if (trimmed.matches("[A-Za-z][A-Za-z0-9+.-]*://.*")) {
      try {
        uri = URI.create(trimmed).toString();
      } catch (IllegalArgumentException e) {
        throw new SinkException(
            SinkException.Kind.USER, "--root is not a URI: " + e.getMessage(), e);
      }
    } else {
      // As engines' file systems (Hadoop's Path) take a local folder: not percent-encoded.
      uri = "file://" + Path.of(trimmed).toAbsolutePath().normalize();
    }
    while (uri.endsWith("/") && !uri.endsWith("://")) {
      uri = uri.substring(0, uri.length() - 1);
    }
    return uri;
  }

  private static String literal(String text) {
    return "'" + text.replace("'", "''") + "'";
  }
}
