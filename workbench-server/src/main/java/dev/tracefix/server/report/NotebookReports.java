package dev.tracefix.server.report;

import dev.tracefix.capture.FileModes;
import dev.tracefix.capture.privacy.keys.HmacKey;
import dev.tracefix.server.ServerException;
import dev.tracefix.server.llm.AuditStore;
import dev.tracefix.server.llm.LlmAudit;
import dev.tracefix.server.message.CellOutput;
import dev.tracefix.server.notebook.Notebook;
import dev.tracefix.server.notebook.NotebookParser;
import dev.tracefix.server.run.ConnectionFactory;
import dev.tracefix.server.run.FileNotebookWorkspace;
import dev.tracefix.server.run.HeadlessRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Where reports come from: a headless run of a notebook file ({@code tracefix report}) or the
 * outputs a workspace session already holds ({@code GET /api/notebooks/{name}/report}, no re-run).
 */
public final class NotebookReports {
  private final FileNotebookWorkspace workspace;
  private final ConnectionFactory db;
  private final AuditStore audit;
  private final Supplier<HmacKey> key;

  /** Reports without an audit store: model requests only from the store's own {@code llm_audit}. */
  public NotebookReports(
      FileNotebookWorkspace workspace, ConnectionFactory db, Supplier<HmacKey> key) {
    this(workspace, db, null, key);
  }

  /**
   * @param audit where the workbench's model requests are recorded ({@link AuditStore}); null for
   *     none
   * @param key the key placeholders are made under; asked once per report, so a rotated key is
   *     picked up
   */
  public NotebookReports(
      FileNotebookWorkspace workspace,
      ConnectionFactory db,
      AuditStore audit,
      Supplier<HmacKey> key) {
    this.workspace = workspace;
    this.db = db;
    this.audit = audit;
    this.key = key;
  }

  /** The report of a notebook's session as it stands: cells that did not run say so. */
  public String render(String notebookName, ReportFormat format) {
    Notebook notebook = workspace.notebook(notebookName);
    Map<String, CellOutput> outputs = workspace.outputs(notebookName);
    return ReportBuilder.build(notebook, outputs, captures(db), modelRequests(db, audit), key.get())
        .render(format);
  }

  /**
   * Runs every cell of {@code notebookFile} with {@code runner}, then builds the report from the
   * outputs and the store's captures.
   */
  public static PostmortemReport runHeadless(
      HeadlessRunner runner, Path notebookFile, ConnectionFactory db, HmacKey key) {
    return runHeadless(runner, notebookFile, db, null, key);
  }

  /** As above, with the model requests of {@code audit} (null for none) in the attestation. */
  public static PostmortemReport runHeadless(
      HeadlessRunner runner,
      Path notebookFile,
      ConnectionFactory db,
      AuditStore audit,
      HmacKey key) {
    HeadlessRunner.Result result = runner.run(notebookFile);
    Map<String, CellOutput> outputs = new LinkedHashMap<>();
    for (HeadlessRunner.CellResult cell : result.cells()) {
      outputs.put(cell.id(), cell.output());
    }
    String name = notebookFile.getFileName().toString();
    Notebook notebook;
    try {
      notebook = NotebookParser.parse(name, Files.readString(notebookFile, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new ServerException(ServerException.Kind.IO, name + ": cannot read: " + e, e);
    }
    return ReportBuilder.build(notebook, outputs, captures(db), modelRequests(db, audit), key);
  }

  /** Writes the report in the format the file's extension names, through a temp file. */
  public static ReportFormat write(PostmortemReport report, Path out) {
    ReportFormat format = ReportFormat.ofFile(out);
    Path file = out.toAbsolutePath().normalize();
    try {
      FileModes modes = FileModes.active();
      Files.createDirectories(file.getParent(), modes.directoryAttribute());
      Path temp =
          Files.createTempFile(
              file.getParent(), ".tracefix-report-", ".tmp", modes.fileAttribute());
      Files.writeString(temp, report.render(format), StandardCharsets.UTF_8);
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new ServerException(
          ServerException.Kind.IO, "cannot write the report to " + out + ": " + e, e);
    }
    return format;
  }

  /**
   * Model requests from the audit store, where the workbench records them, and from the store's own
   * {@code llm_audit} (written there by earlier versions), added up.
   */
  private static java.util.Optional<LlmAudit.Summary> modelRequests(
      ConnectionFactory db, AuditStore audit) {
    java.util.Optional<LlmAudit.Summary> inStore;
    try (Connection c = db.connect()) {
      inStore = LlmAudit.summary(c);
    } catch (SQLException e) {
      throw new ServerException(
          ServerException.Kind.IO,
          "cannot read llm_audit from the event store: " + e.getMessage(),
          e);
    }
    if (audit == null) {
      return inStore;
    }
    try {
      return LlmAudit.Summary.plus(inStore, audit.summary());
    } catch (SQLException e) {
      throw new ServerException(
          ServerException.Kind.IO,
          "cannot read llm_audit from " + audit.file() + ": " + e.getMessage(),
          e);
    }
  }

  private static List<CaptureFacts> captures(ConnectionFactory db) {
    try (Connection c = db.connect()) {
      return CaptureFacts.load(c);
    } catch (SQLException e) {
      throw new ServerException(
          ServerException.Kind.IO, "cannot open the event store: " + e.getMessage(), e);
    }
  }
}
