package dev.tracefix.server.cli;

import dev.tracefix.capture.privacy.keys.HmacKey;
import dev.tracefix.capture.privacy.keys.KeyStore;
import dev.tracefix.server.ServerException;
import dev.tracefix.server.kernel.sql.NotebookDatabases;
import dev.tracefix.server.llm.AuditStore;
import dev.tracefix.server.report.NotebookReports;
import dev.tracefix.server.report.PostmortemReport;
import dev.tracefix.server.report.ReportFormat;
import dev.tracefix.sink.EventStore;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {
      "Run a notebook headless and write its postmortem report (Markdown or self-contained HTML,"
          + " by the extension of --out).",
      "Every value the report shows passes the capture recognizers (so do the cell lines printed"
          + " while it runs); it ends with the privacy attestation of the captures and the counts"
          + " of what this report replaced, by type."
    })
final class ReportCommand implements Callable<Integer> {
  @Parameters(paramLabel = "NOTEBOOK", description = "the notebook file (.md)")
  Path notebook;

  @Option(
      names = "--db",
      description = "DuckDB file to query (default: .tracefix/workbench.duckdb)")
  Path db;

  @Option(names = "--out", required = true, description = "report file: FILE.md or FILE.html")
  Path out;

  @Option(
      names = "--keys",
      description =
          "key store folder for placeholders (default: ~/.tracefix/keys or $TRACEFIX_KEYS)")
  Path keys;

  @Override
  public Integer call() throws Exception {
    if (!Files.isRegularFile(notebook)) {
      throw new ServerException(
          ServerException.Kind.INVALID,
          "no notebook at " + notebook + "; pass the path of a notebook .md file");
    }
    ReportFormat.ofFile(out); // refuse a bad extension before running anything
    Path dbFile = db == null ? ProjectPaths.defaultDb() : db;
    if (!Files.exists(dbFile)) {
      throw new ServerException(
          ServerException.Kind.INVALID,
          "no database at " + dbFile + "; create one with 'tracefix capture --db " + dbFile + "'");
    }
    HmacKey key = KeyStore.current(keys == null ? KeyStoreLocation.defaultDir() : keys);
    // Opened for schema, spool recovery and retention, then closed: notebooks attach it read-only.
    try (EventStore store = Stores.open(dbFile)) {
      dbFile = store.dbFile();
    }
    NotebookDatabases databases = Workbench.notebookDatabases(dbFile, Workbench.Access.LOCKED);
    try (PrintStream console = RedactedConsole.of(System.out, key)) {
      PostmortemReport report =
          NotebookReports.runHeadless(
              Workbench.headless(dbFile, console),
              notebook,
              databases::connect,
              AuditStore.beside(dbFile),
              key);
      ReportFormat format = NotebookReports.write(report, out);
      long replaced = report.replacements().values().stream().mapToLong(Long::longValue).sum();
      System.out.println(
          "report written to "
              + out
              + " ("
              + format.word()
              + ", "
              + replaced
              + " values redacted)");
      return 0;
    }
  }
}
