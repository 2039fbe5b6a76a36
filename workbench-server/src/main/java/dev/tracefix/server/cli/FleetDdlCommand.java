package dev.tracefix.server.cli;

import dev.tracefix.sink.parquet.FleetDdl;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "ddl",
    mixinStandardHelpOptions = true,
    description = {
      "Print the CREATE TABLE statements that let an engine read an export root in place:"
          + " Trino's Hive connector (external_location, partitioned_by, then"
          + " sync_partition_metadata) or Spark SQL (USING parquet PARTITIONED BY (date, host,"
          + " capture) LOCATION, then MSCK REPAIR TABLE). The columns come from the store's own"
          + " schema, so they match what tracefix export writes."
    })
final class FleetDdlCommand implements Callable<Integer> {
  @Option(names = "--engine", required = true, description = "trino or spark")
  String engine;

  @Option(
      names = "--root",
      required = true,
      description =
          "the export root every host exports into: a URI (s3://bucket/tracefix, hdfs://...) or a"
              + " folder (a mounted shared store), made a file: URI")
  String root;

  @Option(names = "--schema", defaultValue = "tracefix", description = "schema (database) name")
  String schema;

  @Option(
      names = "--catalog",
      defaultValue = "hive",
      description = "Trino catalog of the Hive connector (default: hive)")
  String catalog;

  @Override
  public Integer call() {
    System.out.print(FleetDdl.ddl(FleetDdl.Engine.parse(engine), root, catalog, schema));
    return 0;
  }
}
