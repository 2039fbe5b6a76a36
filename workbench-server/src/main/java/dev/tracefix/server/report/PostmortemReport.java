package dev.tracefix.server.report;

import java.util.List;
import java.util.Map;

/**
 * A postmortem report ready to render: every string in it has passed the recognizers.
 *
 * @param replacements values the recognizers replaced while building this report, by type
 */
public record PostmortemReport(
    String title, List<ReportPart> parts, Map<String, Long> replacements) {
  public PostmortemReport {
    parts = List.copyOf(parts);
    replacements = Map.copyOf(replacements);
  }

  public String render(ReportFormat format) {
    return switch (format) {
      case MARKDOWN -> MarkdownReport.render(this);
      case HTML -> HtmlReport.render(this);
    };
  }
}
