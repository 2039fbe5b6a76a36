package dev.tracefix.server.report;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The small Markdown subset notebooks' prose uses, as escaped HTML: headings (one level below the
 * report's own), bullet lists, fenced blocks, paragraphs, {@code `code`} and {@code **bold**}. Raw
 * HTML in prose is shown as text, never interpreted.
 */
final class ProseHtml {
  private static final Pattern CODE_SPAN = Pattern.compile("`([^`]+)`");
  private static final Pattern BOLD = Pattern.compile("\\*\\*([^*]+)\\*\\*");

  private ProseHtml() {}

  static String render(String markdown) {
    StringBuilder html = new StringBuilder();
    List<String> paragraph = new ArrayList<>();
    List<String> list = new ArrayList<>();
    StringBuilder fenced = null;
    String fence = null;
    for (String line : markdown.lines().toList()) {
      String stripped = line.strip();
      if (fenced != null) {
        if (stripped.startsWith(fence) && stripped.replace("`", "").isEmpty()) {
          html.append("<pre><code>")
              .append(HtmlReport.escape(fenced.toString()))
              .append("</code></pre>\n");
          fenced = null;
        } else {
          fenced.append(line).append('\n');
        }
        continue;
      }
      if (stripped.startsWith("```")) {
        flush(html, paragraph, list);
        fence =
            stripped.substring(0, stripped.length() - stripped.replaceFirst("^`+", "").length());
        fenced = new StringBuilder();
      } else if (stripped.isEmpty()) {
        flush(html, paragraph, list);
      } else if (stripped.matches("#{1,6} .*")) {
        flush(html, paragraph, list);
        int level = stripped.indexOf(' ');
        HtmlReport.heading(html, level + 1, stripped.substring(level + 1).strip());
      } else if (stripped.startsWith("- ") || stripped.startsWith("* ")) {
        if (!paragraph.isEmpty()) {
          flush(html, paragraph, List.of());
        }
        list.add(stripped.substring(2));
      } else {
        if (!list.isEmpty()) {
          flush(html, List.of(), list);
        }
        paragraph.add(stripped);
      }
    }
    if (fenced != null) {
      html.append("<pre><code>")
          .append(HtmlReport.escape(fenced.toString()))
          .append("</code></pre>\n");
    }
    flush(html, paragraph, list);
    return html.toString();
  }

  private static void flush(StringBuilder html, List<String> paragraph, List<String> list) {
    if (!paragraph.isEmpty()) {
      html.append("<p>").append(inline(String.join(" ", paragraph))).append("</p>\n");
      paragraph.clear();
    }
    if (!list.isEmpty()) {
      html.append("<ul>\n");
      for (String item : list) {
        html.append("<li>").append(inline(item)).append("</li>\n");
      }
      html.append("</ul>\n");
      list.clear();
    }
  }

  private static String inline(String text) {
    String escaped = HtmlReport.escape(text);
    escaped = CODE_SPAN.matcher(escaped).replaceAll("<code>$1</code>");
    return BOLD.matcher(escaped).replaceAll("<strong>$1</strong>");
  }
}
