package dev.tracefix.server.report;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Renders a report as CommonMark (GitHub flavour tables). */
final class MarkdownReport {
  /**
   * A redaction placeholder such as {@code <EMAIL:3f9a1c2b>}; unescaped it reads as an autolink.
   */
  private static final Pattern PLACEHOLDER = Pattern.compile("<([A-Z][A-Z0-9_]*:[0-9a-f]+)>");

  private static final Pattern INLINE_SPECIAL = Pattern.compile("([\\\\`*\\[\\]<>|])");

  private MarkdownReport() {}

  static String render(PostmortemReport report) {
    StringBuilder md = new StringBuilder();
    for (ReportPart part : report.parts()) {
      switch (part) {
        case ReportPart.Heading h ->
            md.append("#".repeat(h.level())).append(' ').append(inline(h.text())).append("\n\n");
        case ReportPart.Prose p ->
            md.append(PLACEHOLDER.matcher(p.markdown()).replaceAll("\\\\<$1\\\\>")).append("\n\n");
        case ReportPart.Line l -> md.append(inline(l.text())).append("\n\n");
        case ReportPart.Code c -> code(md, c);
        case ReportPart.Table t -> table(md, t);
        // Markdown passes HTML blocks through: the SVG shows where Markdown is rendered to HTML.
        case ReportPart.Chart c ->
            md.append(dev.tracefix.server.views.chart.ChartSvg.render(c.chart())).append("\n\n");
        case ReportPart.Facts f -> {
          for (ReportPart.Fact fact : f.facts()) {
            md.append("- **").append(inline(fact.label())).append(":** ");
            md.append(inline(fact.value())).append('\n');
          }
          md.append('\n');
        }
      }
    }
    return md.toString().stripTrailing() + "\n";
  }

  private static void code(StringBuilder md, ReportPart.Code c) {
    String fence = "`".repeat(Math.max(3, longestRun(c.text(), '`') + 1));
    md.append(fence).append(c.language()).append('\n');
    md.append(c.text());
    if (!c.text().isEmpty() && !c.text().endsWith("\n")) {
      md.append('\n');
    }
    md.append(fence).append("\n\n");
  }

  private static void table(StringBuilder md, ReportPart.Table t) {
    if (t.columns().isEmpty()) {
      md.append("(no columns)\n\n");
      return;
    }
    row(md, t.columns());
    md.append('|').append(" --- |".repeat(t.columns().size())).append('\n');
    for (List<String> row : t.rows()) {
      row(md, row);
    }
    if (t.rows().isEmpty()) {
      md.append("\n(no rows)\n");
    }
    if (t.moreRows() > 0) {
      md.append("\n").append(t.moreRows()).append(" more rows not shown.\n");
    }
    md.append('\n');
  }

  private static void row(StringBuilder md, List<String> cells) {
    md.append('|');
    for (String cell : cells) {
      md.append(' ').append(inline(cell)).append(" |");
    }
    md.append('\n');
  }

  /** One line of literal text: Markdown and HTML syntax escaped, line breaks become spaces. */
  static String inline(String text) {
    String oneLine = text.replace("\r\n", " ").replace('\n', ' ').replace('\r', ' ');
    String escaped =
        INLINE_SPECIAL
            .matcher(oneLine.replace("&", "&amp;"))
            .replaceAll(m -> Matcher.quoteReplacement("\\" + m.group(1)));
    // Underscores inside words never start emphasis, so ids like k_0123 stay as they are; a
    // leading # or - would turn the line into a heading or a list.
    return escaped.startsWith("#") || escaped.startsWith("-") ? "\\" + escaped : escaped;
  }

  private static int longestRun(String text, char c) {
    int longest = 0;
    int run = 0;
    for (int i = 0; i < text.length(); i++) {
      run = text.charAt(i) == c ? run + 1 : 0;
      longest = Math.max(longest, run);
    }
    return longest;
  }
}
