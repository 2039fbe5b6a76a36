package dev.tracefix.server.report;

import dev.tracefix.capture.privacy.TextRedactor;
import dev.tracefix.capture.privacy.keys.HmacKey;
import dev.tracefix.server.llm.LlmAudit;
import dev.tracefix.server.message.CellOutput;
import dev.tracefix.server.notebook.Cell;
import dev.tracefix.server.notebook.Notebook;
import dev.tracefix.server.notebook.NotebookBlock;
import dev.tracefix.server.report.ReportPart.Code;
import dev.tracefix.server.report.ReportPart.Heading;
import dev.tracefix.server.report.ReportPart.Line;
import dev.tracefix.server.report.ReportPart.Prose;
import dev.tracefix.server.report.ReportPart.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns a notebook, the outputs its cells produced and the store's captures into a {@link
 * PostmortemReport}. Sections are built from raw values; then every string of every part passes one
 * {@link ReportRedaction} made for this report, and the privacy attestation states what that pass
 * replaced, by type.
 */
public final class ReportBuilder {
  /** Rows shown per table; the rest are counted, not shown. */
  public static final int MAX_ROWS = 50;

  private final ReportRedaction redaction;
  private final List<ReportPart> parts = new ArrayList<>();

  private ReportBuilder(HmacKey key) {
    this.redaction = new ReportRedaction(TextRedactor.withKey(key));
  }

  /**
   * Builds the report.
   *
   * @param outputs the last output of each cell that ran, by cell id
   * @param key the key that placeholders are made under (the capture key store's current key)
   */
  public static PostmortemReport build(
      Notebook notebook,
      Map<String, CellOutput> outputs,
      List<CaptureFacts> captures,
      HmacKey key) {
    return build(notebook, outputs, captures, java.util.Optional.empty(), key);
  }

  /**
   * Like {@link #build(Notebook, Map, List, HmacKey)}, attesting the store's model requests too.
   */
  public static PostmortemReport build(
      Notebook notebook,
      Map<String, CellOutput> outputs,
      List<CaptureFacts> captures,
      java.util.Optional<LlmAudit.Summary> modelRequests,
      HmacKey key) {
    return new ReportBuilder(key).report(notebook, outputs, captures, modelRequests);
  }

  private PostmortemReport report(
      Notebook notebook,
      Map<String, CellOutput> outputs,
      List<CaptureFacts> captures,
      java.util.Optional<LlmAudit.Summary> modelRequests) {
    String title = notebook.title().orElse(notebook.fileName());
    parts.add(new Heading(1, title));
    parts.add(new Line("Postmortem report of notebook " + notebook.fileName() + "."));
    parts.add(new Heading(2, "Trace summary"));
    parts.addAll(TraceSummary.parts(captures));
    parts.add(new Heading(2, "Notebook"));
    notebookParts(notebook, outputs);
    parts.add(new Heading(2, "Fix loop"));
    parts.addAll(new FixLoopSection().parts(notebook, outputs));
    parts.add(new Heading(2, "Privacy attestation"));
    parts.addAll(PrivacySection.captureParts(captures));
    parts.addAll(PrivacySection.modelParts(modelRequests));
    List<ReportPart> redacted = new ArrayList<>(redaction.apply(parts));
    // Last: what the pass above replaced. These parts pass the recognizers too; they hold only
    // type names, counts and the key id, so they must replace nothing, or the counts they state
    // would be wrong.
    Map<String, Long> replaced = redaction.counts();
    redacted.addAll(redaction.apply(PrivacySection.reportParts(redaction.keyId(), replaced)));
    if (!redaction.counts().equals(replaced)) {
      throw new IllegalStateException(
          "the report's own attestation matched a recognizer: " + redaction.counts());
    }
    String shownTitle = ((Heading) redacted.getFirst()).text();
    return new PostmortemReport(shownTitle, redacted, replaced);
  }

  private void notebookParts(Notebook notebook, Map<String, CellOutput> outputs) {
    boolean titleDropped = false;
    for (NotebookBlock block : notebook.blocks()) {
      switch (block) {
        case NotebookBlock.Prose prose -> {
          String text = prose.text();
          if (!titleDropped && notebook.title().isPresent()) {
            text = withoutTitle(text);
            titleDropped = text.length() != prose.text().length();
          }
          if (!text.isBlank()) {
            parts.add(new Prose(text.strip()));
          }
        }
        case Cell cell -> cellParts(cell, outputs.get(cell.id()));
      }
    }
  }

  private void cellParts(Cell cell, CellOutput output) {
    parts.add(
        new Heading(
            4, // below the prose's own "## section" headings
            "Cell " + cell.id() + " (" + cell.kind().word() + ", line " + cell.line() + ")"));
    parts.add(new Code(cell.kind().word(), cell.source()));
    if (output == null) {
      parts.add(new Line("Not run."));
      return;
    }
    switch (output) {
      case CellOutput.Table t -> {
        if (t.chart() != null) {
          parts.add(new ReportPart.Chart(t.chart()));
        }
        parts.add(table(t.columns(), t.rows(), t.totalRows()));
      }
      case CellOutput.Text t -> parts.add(new Code("text", t.text()));
      case CellOutput.Hypotheses h -> {
        if (h.provenance() != null) {
          CellOutput.Provenance p = h.provenance();
          parts.add(
              new Line(
                  "Answered by the "
                      + p.answeredBy()
                      + (p.model() == null
                          ? ""
                          : " ("
                              + p.provider()
                              + " "
                              + p.model()
                              + ", prompt sha256 "
                              + p.promptSha256()
                              + ")")
                      + (p.note() == null ? "" : ": " + p.note())));
        }
        if (h.items().isEmpty()) {
          parts.add(new Line("No hypotheses."));
        }
        for (CellOutput.Hypothesis item : h.items()) {
          parts.add(new Line("Hypothesis: " + item.statement()));
          parts.add(new Line("Evidence: " + item.evidence()));
          parts.add(new Code("sql", item.checkSql() == null ? "" : item.checkSql()));
          if (item.check() != null) {
            parts.add(
                new Line(
                    "Verdict (run by the workbench): "
                        + item.check().verdict()
                        + (item.check().message() == null || item.check().message().isEmpty()
                            ? ""
                            : " (" + item.check().message() + ")")));
          }
        }
      }
      case CellOutput.Minimized m ->
          parts.add(
              new Line(
                  "Minimized "
                      + m.originalSize()
                      + " rows to "
                      + m.rows().size()
                      + "; see Fix loop, Minimized repro."));
      case CellOutput.Bisected b ->
          parts.add(new Line("First bad commit " + b.culprit() + "; see Fix loop, Bisect."));
      case CellOutput.Patched p ->
          parts.add(
              new Line(
                  "Patch on branch "
                      + p.branch()
                      + " ("
                      + (p.reviewPassed()
                          ? "passed the review gate"
                          : p.reproPasses()
                              ? "repro passes, review gate not passed"
                              : "repro still fails")
                      + "); see Fix loop, Patch."));
      case CellOutput.Error e -> {
        parts.add(new Line("Failed (" + e.errorKind() + "): " + e.message()));
        if (e.detail() != null && !e.detail().isBlank()) {
          parts.add(new Code("text", e.detail()));
        }
      }
    }
  }

  /** A result table cut to {@link #MAX_ROWS}; values as text, redacted with the rest later. */
  static Table table(List<String> columns, List<List<Object>> rows, long totalRows) {
    List<List<String>> shown = new ArrayList<>();
    for (List<Object> row : rows.subList(0, Math.min(rows.size(), MAX_ROWS))) {
      shown.add(row.stream().map(ReportBuilder::cell).toList());
    }
    long total = Math.max(totalRows, rows.size());
    return new Table(columns, shown, total - shown.size());
  }

  /** A cell value as text: lists and arrays element by element, so none hides behind toString. */
  private static String cell(Object value) {
    return switch (value) {
      case null -> "NULL";
      case java.sql.Array a -> {
        try {
          yield cell(a.getArray());
        } catch (java.sql.SQLException e) {
          yield "(unreadable array: " + e.getMessage() + ")";
        }
      }
      case Object[] a -> java.util.Arrays.stream(a).map(ReportBuilder::cell).toList().toString();
      case java.util.Collection<?> c -> c.stream().map(ReportBuilder::cell).toList().toString();
      default -> String.valueOf(value);
    };
  }

  /** The prose without its first {@code # } heading line, which became the report's title. */
  private static String withoutTitle(String prose) {
    int at = 0;
    while (at < prose.length()) {
      int end = prose.indexOf('\n', at);
      int next = end < 0 ? prose.length() : end + 1;
      if (prose.startsWith("# ", at)) {
        return prose.substring(0, at) + prose.substring(next);
      }
      at = next;
    }
    return prose;
  }
}
