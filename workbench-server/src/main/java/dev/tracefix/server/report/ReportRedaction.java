package dev.tracefix.server.report;

import dev.tracefix.capture.privacy.TextRedactor;
import dev.tracefix.server.report.ReportPart.Code;
import dev.tracefix.server.report.ReportPart.Fact;
import dev.tracefix.server.report.ReportPart.Facts;
import dev.tracefix.server.report.ReportPart.Heading;
import dev.tracefix.server.report.ReportPart.Line;
import dev.tracefix.server.report.ReportPart.Prose;
import dev.tracefix.server.report.ReportPart.Table;
import java.util.List;
import java.util.Map;

/**
 * The one place a report's text is redacted: every string of every part (headings, prose, lines,
 * code, table columns and cells, fact labels and values) passes capture's {@link TextRedactor},
 * whatever section or cell kind it came from. Sections build their parts from raw values and never
 * redact themselves, so a new section or output kind cannot forget to.
 */
final class ReportRedaction {
  private final TextRedactor redactor;

  ReportRedaction(TextRedactor redactor) {
    this.redactor = redactor;
  }

  List<ReportPart> apply(List<ReportPart> parts) {
    return parts.stream().map(this::apply).toList();
  }

  ReportPart apply(ReportPart part) {
    return switch (part) {
      case Heading h -> new Heading(h.level(), text(h.text()));
      case Prose p -> new Prose(text(p.markdown()));
      case Line l -> new Line(text(l.text()));
      case Code c -> new Code(text(c.language()), text(c.text()));
      case Table t ->
          new Table(texts(t.columns()), t.rows().stream().map(this::texts).toList(), t.moreRows());
      case ReportPart.Chart c -> new ReportPart.Chart(chart(c.chart()));
      case Facts f ->
          new Facts(
              f.facts().stream().map(x -> new Fact(text(x.label()), text(x.value()))).toList());
    };
  }

  /** A chart's every string: column names, category labels, the note. Numbers stay. */
  private dev.tracefix.server.views.chart.Chart chart(dev.tracefix.server.views.chart.Chart c) {
    return new dev.tracefix.server.views.chart.Chart(
        c.type(),
        text(c.x()),
        texts(c.y()),
        c.xKind(),
        c.xs(),
        texts(c.labels()),
        c.series(),
        c.rows(),
        c.note() == null ? null : text(c.note()));
  }

  String text(String value) {
    return value == null ? "" : redactor.redact(value);
  }

  private List<String> texts(List<String> values) {
    return values.stream().map(this::text).toList();
  }

  /** Values replaced so far, by recognizer type. */
  Map<String, Long> counts() {
    return redactor.counts();
  }

  String keyId() {
    return redactor.keyId();
  }
}
