package dev.tracefix.server.report;

import java.util.List;

/**
 * Renders a report as one self-contained HTML page: inline CSS, no scripts, no external assets.
 * Every string is escaped; prose gets a small Markdown subset (headings, lists, fenced blocks,
 * paragraphs, inline code and bold).
 */
final class HtmlReport {
  private static final String CSS =
      """
      body{font:15px/1.5 system-ui,sans-serif;margin:0;background:#fafafa;color:#1d1d1f}
      main{max-width:60rem;margin:0 auto;padding:1.5rem 2rem;background:#fff}
      h1{font-size:1.7rem;border-bottom:2px solid #ddd;padding-bottom:.3rem}
      h2{font-size:1.3rem;margin-top:2rem;border-bottom:1px solid #eee}
      h3{font-size:1.08rem;margin-top:1.4rem}
      pre{background:#f4f4f6;border:1px solid #e2e2e6;padding:.6rem;overflow-x:auto;font-size:13px}
      code{font-family:ui-monospace,Menlo,Consolas,monospace}
      table{border-collapse:collapse;margin:.5rem 0;font-size:13px}
      th,td{border:1px solid #d6d6da;padding:.2rem .5rem;text-align:left;vertical-align:top}
      th{background:#f0f0f3}
      dl{display:grid;grid-template-columns:max-content auto;gap:.15rem 1rem;margin:.5rem 0}
      dt{font-weight:600}dd{margin:0}
      .more{color:#666;font-style:italic}
      """;

  private HtmlReport() {}

  static String render(PostmortemReport report) {
    StringBuilder html = new StringBuilder();
    html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    html.append("<meta name=\"generator\" content=\"tracefix report\">\n");
    html.append("<title>").append(escape(report.title())).append("</title>\n");
    html.append("<style>\n").append(CSS).append("</style>\n</head>\n<body>\n<main>\n");
    for (ReportPart part : report.parts()) {
      switch (part) {
        case ReportPart.Heading h -> heading(html, h.level(), h.text());
        case ReportPart.Prose p -> html.append(ProseHtml.render(p.markdown()));
        case ReportPart.Line l -> html.append("<p>").append(escape(l.text())).append("</p>\n");
        case ReportPart.Code c ->
            html.append("<pre><code class=\"language-")
                .append(escape(c.language()))
                .append("\">")
                .append(escape(c.text()))
                .append("</code></pre>\n");
        case ReportPart.Table t -> table(html, t);
        case ReportPart.Chart c ->
            html.append("<figure class=\"chart\">")
                .append(dev.tracefix.server.views.chart.ChartSvg.render(c.chart()))
                .append("</figure>\n");
        case ReportPart.Facts f -> {
          html.append("<dl>\n");
          for (ReportPart.Fact fact : f.facts()) {
            html.append("<dt>").append(escape(fact.label())).append("</dt><dd>");
            html.append(escape(fact.value())).append("</dd>\n");
          }
          html.append("</dl>\n");
        }
      }
    }
    return html.append("</main>\n</body>\n</html>\n").toString();
  }

  static void heading(StringBuilder html, int level, String text) {
    int h = Math.max(1, Math.min(6, level));
    html.append("<h")
        .append(h)
        .append('>')
        .append(escape(text))
        .append("</h")
        .append(h)
        .append(">\n");
  }

  private static void table(StringBuilder html, ReportPart.Table t) {
    html.append("<table>\n<thead><tr>");
    for (String column : t.columns()) {
      html.append("<th>").append(escape(column)).append("</th>");
    }
    html.append("</tr></thead>\n<tbody>\n");
    for (List<String> row : t.rows()) {
      html.append("<tr>");
      for (String cell : row) {
        html.append("<td>").append(escape(cell)).append("</td>");
      }
      html.append("</tr>\n");
    }
    html.append("</tbody>\n</table>\n");
    if (t.rows().isEmpty()) {
      html.append("<p class=\"more\">(no rows)</p>\n");
    }
    if (t.moreRows() > 0) {
      html.append("<p class=\"more\">").append(t.moreRows()).append(" more rows not shown.</p>\n");
    }
  }

  static String escape(String text) {
    StringBuilder sb = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> sb.append("&amp;");
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }
}
