package dev.tracefix.server.report;

import java.util.List;

/**
 * One piece of a postmortem report, in a shape both renderers understand. Every string in a part is
 * already redacted; renderers only escape.
 */
public sealed interface ReportPart {

  /** A section heading; level 1 is the report title. */
  record Heading(int level, String text) implements ReportPart {}

  /** Markdown prose from the notebook, kept as written (after redaction). */
  record Prose(String markdown) implements ReportPart {}

  /** One line of plain text. */
  record Line(String text) implements ReportPart {}

  /** Literal text shown as a block, e.g. a cell's source, a diff or a log. */
  record Code(String language, String text) implements ReportPart {}

  /**
   * A table, already cut to the rows shown.
   *
   * @param moreRows rows of the result that are not shown
   */
  record Table(List<String> columns, List<List<String>> rows, long moreRows) implements ReportPart {
    public Table {
      columns = List.copyOf(columns);
      rows = rows.stream().map(List::copyOf).toList();
    }
  }

  /** A cell's chart, drawn as inline SVG (the picture the workbench page draws). */
  record Chart(dev.tracefix.server.views.chart.Chart chart) implements ReportPart {}

  /** Labelled values, e.g. the facts of the privacy attestation. */
  record Facts(List<Fact> facts) implements ReportPart {
    public Facts {
      facts = List.copyOf(facts);
    }
  }

  record Fact(String label, String value) {}
}
