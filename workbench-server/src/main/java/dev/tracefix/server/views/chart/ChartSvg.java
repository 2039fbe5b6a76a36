package dev.tracefix.server.views.chart;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Draws a {@link Chart} as inline SVG on the server, so the static HTML export, the report and
 * headless runs show the picture the page draws, without a script or a browser. Every text in it is
 * escaped; it references nothing outside itself.
 */
public final class ChartSvg {
  static final int WIDTH = 640;
  static final int HEIGHT = 260;
  private static final int LEFT = 60;
  private static final int RIGHT = 16;
  private static final int TOP = 28;
  private static final int BOTTOM = 44;
  static final String[] PALETTE = {
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#b07aa1"
  };
  private static final DateTimeFormatter CLOCK =
      DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("yyyy-MM-dd", Locale.ROOT).withZone(ZoneOffset.UTC);

  private ChartSvg() {}

  public static String render(Chart chart) {
    StringBuilder svg = new StringBuilder();
    String title = title(chart);
    svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart chart-")
        .append(escape(chart.type()))
        .append("\" width=\"")
        .append(WIDTH)
        .append("\" height=\"")
        .append(HEIGHT)
        .append("\" viewBox=\"0 0 ")
        .append(WIDTH)
        .append(' ')
        .append(HEIGHT)
        .append("\" role=\"img\" aria-label=\"")
        .append(escape(title))
        .append("\" font-family=\"sans-serif\" font-size=\"11\">");
    svg.append("<title>").append(escape(title)).append("</title>");
    svg.append("<text x=\"")
        .append(LEFT)
        .append("\" y=\"16\" font-weight=\"bold\">")
        .append(escape(title))
        .append("</text>");
    if (!chart.drawable()) {
      svg.append("<text x=\"")
          .append(LEFT)
          .append("\" y=\"")
          .append(HEIGHT / 2)
          .append("\">")
          .append(escape(chart.note() == null ? "nothing to draw" : chart.note()))
          .append("</text></svg>");
      return svg.toString();
    }
    boolean banded = chart.type().equals("bar") || chart.type().equals("histogram");
    double[] yRange = yRange(chart, banded || chart.type().equals("area"));
    double xMin = banded ? -0.5 : min(chart.xs());
    double xMax = banded ? chart.xs().size() - 0.5 : max(chart.xs());
    if (banded) {
      // bands are positions 0..n-1 whatever the xs (a histogram's xs are its edges)
      xMin = -0.5;
      xMax = chart.xs().size() - 0.5;
    }
    if (xMax == xMin) {
      xMax = xMin + 1;
    }
    Scale x = new Scale(xMin, xMax, LEFT, WIDTH - RIGHT);
    Scale y = new Scale(yRange[0], yRange[1], HEIGHT - BOTTOM, TOP);
    axes(svg, chart, x, y, banded);
    for (int s = 0; s < chart.series().size(); s++) {
      String color = PALETTE[s % PALETTE.length];
      List<Double> values = chart.series().get(s);
      switch (chart.type()) {
        case "line" -> lines(svg, chart.xs(), values, x, y, color, false);
        case "area" -> lines(svg, chart.xs(), values, x, y, color, true);
        case "scatter" -> dots(svg, chart.xs(), values, x, y, color);
        default ->
            bars(
                svg,
                values,
                x,
                y,
                color,
                s,
                chart.series().size(),
                chart.type().equals("histogram"));
      }
    }
    legend(svg, chart);
    if (chart.note() != null) {
      svg.append("<text x=\"")
          .append(WIDTH - RIGHT)
          .append("\" y=\"")
          .append(HEIGHT - 4)
          .append("\" text-anchor=\"end\" fill=\"#666\">")
          .append(escape(chart.note()))
          .append("</text>");
    }
    svg.append("</svg>");
    return svg.toString();
  }

  static String title(Chart chart) {
    return chart.type().equals("histogram")
        ? "histogram of " + chart.x() + " (log buckets)"
        : String.join(", ", chart.y()) + " by " + chart.x();
  }

  private record Scale(double min, double max, double from, double to) {
    double at(double v) {
      return from + (v - min) / (max - min) * (to - from);
    }
  }

  private static void axes(StringBuilder svg, Chart chart, Scale x, Scale y, boolean banded) {
    double bottom = HEIGHT - BOTTOM;
    svg.append("<g stroke=\"#999\">")
        .append(line(LEFT, bottom, WIDTH - RIGHT, bottom))
        .append(line(LEFT, TOP, LEFT, bottom))
        .append("</g>");
    for (int i = 0; i <= 4; i++) {
      double v = y.min() + (y.max() - y.min()) * i / 4;
      double py = y.at(v);
      svg.append("<g stroke=\"#eee\">").append(line(LEFT, py, WIDTH - RIGHT, py)).append("</g>");
      svg.append(text(LEFT - 4, py + 4, "end", Numbers.compact(v)));
    }
    int n = chart.xs().size();
    if (banded || chart.xKind().equals("category")) {
      int step = Math.max(1, (int) Math.ceil(n / 8.0));
      for (int i = 0; i < n; i += step) {
        String label =
            chart.labels().isEmpty() ? Numbers.compact(chart.xs().get(i)) : chart.labels().get(i);
        svg.append(text(x.at(i), bottom + 14, "middle", shorten(label)));
      }
    } else {
      for (int i = 0; i <= 4; i++) {
        double v = x.min() + (x.max() - x.min()) * i / 4;
        String label =
            chart.xKind().equals("time")
                ? ((x.max() - x.min()) < 86_400_000 ? CLOCK : DAY)
                    .format(Instant.ofEpochMilli((long) v))
                : Numbers.compact(v);
        svg.append(text(x.at(v), bottom + 14, i == 0 ? "start" : i == 4 ? "end" : "middle", label));
      }
    }
    svg.append(
        text(
            (LEFT + WIDTH - RIGHT) / 2.0,
            HEIGHT - 18,
            "middle",
            chart.x() + (chart.xKind().equals("time") ? " (UTC)" : "")));
  }

  private static void lines(
      StringBuilder svg,
      List<Double> xs,
      List<Double> ys,
      Scale x,
      Scale y,
      String color,
      boolean fill) {
    List<String> run = new ArrayList<>();
    double baseline = y.at(Math.max(y.min(), 0));
    for (int i = 0; i <= xs.size(); i++) {
      Double v = i < xs.size() ? ys.get(i) : null;
      if (v != null) {
        run.add(fmt(x.at(xs.get(i))) + "," + fmt(y.at(v)));
        continue;
      }
      if (!run.isEmpty()) {
        if (fill) {
          String first = run.getFirst().split(",")[0];
          String last = run.getLast().split(",")[0];
          svg.append("<polygon fill=\"")
              .append(color)
              .append("\" fill-opacity=\"0.3\" stroke=\"none\" points=\"")
              .append(first)
              .append(',')
              .append(fmt(baseline))
              .append(' ')
              .append(String.join(" ", run))
              .append(' ')
              .append(last)
              .append(',')
              .append(fmt(baseline))
              .append("\"/>");
        }
        svg.append("<polyline fill=\"none\" stroke=\"")
            .append(color)
            .append("\" stroke-width=\"1.5\" points=\"")
            .append(String.join(" ", run))
            .append("\"/>");
        run.clear();
      }
    }
  }

  private static void dots(
      StringBuilder svg, List<Double> xs, List<Double> ys, Scale x, Scale y, String color) {
    svg.append("<g fill=\"").append(color).append("\" fill-opacity=\"0.7\">");
    for (int i = 0; i < xs.size(); i++) {
      if (ys.get(i) != null) {
        svg.append("<circle cx=\"")
            .append(fmt(x.at(xs.get(i))))
            .append("\" cy=\"")
            .append(fmt(y.at(ys.get(i))))
            .append("\" r=\"2.5\"/>");
      }
    }
    svg.append("</g>");
  }

  private static void bars(
      StringBuilder svg,
      List<Double> ys,
      Scale x,
      Scale y,
      String color,
      int series,
      int of,
      boolean touching) {
    double band = Math.abs(x.at(1) - x.at(0));
    double width = (touching ? band : band * 0.8) / of;
    double baseline = y.at(Math.max(y.min(), 0));
    svg.append("<g fill=\"").append(color).append("\">");
    for (int i = 0; i < ys.size(); i++) {
      Double v = ys.get(i);
      if (v == null) {
        continue;
      }
      double left = x.at(i) - (touching ? band : band * 0.8) / 2 + series * width;
      double top = Math.min(y.at(v), baseline);
      svg.append("<rect x=\"")
          .append(fmt(left))
          .append("\" y=\"")
          .append(fmt(top))
          .append("\" width=\"")
          .append(fmt(Math.max(0.5, width - (touching ? 1 : 0))))
          .append("\" height=\"")
          .append(fmt(Math.abs(baseline - y.at(v))))
          .append("\"/>");
    }
    svg.append("</g>");
  }

  private static void legend(StringBuilder svg, Chart chart) {
    double right = WIDTH - RIGHT;
    for (int s = chart.y().size() - 1; s >= 0; s--) {
      String name = chart.y().get(s);
      double w = 16 + 6.5 * name.length();
      right -= w;
      svg.append("<rect x=\"")
          .append(fmt(right))
          .append("\" y=\"8\" width=\"10\" height=\"10\" fill=\"")
          .append(PALETTE[s % PALETTE.length])
          .append("\"/>")
          .append(text(right + 13, 17, "start", name));
      right -= 8;
    }
  }

  private static double[] yRange(Chart chart, boolean fromZero) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (List<Double> s : chart.series()) {
      for (Double v : s) {
        if (v != null) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
    }
    if (lo == Double.POSITIVE_INFINITY) {
      return new double[] {0, 1};
    }
    if (fromZero || lo > 0) {
      lo = Math.min(lo, 0);
    }
    if (hi == lo) {
      hi = lo + 1;
    }
    return new double[] {lo, hi};
  }

  private static double min(List<Double> xs) {
    return xs.stream().mapToDouble(Double::doubleValue).min().orElse(0);
  }

  private static double max(List<Double> xs) {
    return xs.stream().mapToDouble(Double::doubleValue).max().orElse(1);
  }

  private static String line(double x1, double y1, double x2, double y2) {
    return "<line x1=\""
        + fmt(x1)
        + "\" y1=\""
        + fmt(y1)
        + "\" x2=\""
        + fmt(x2)
        + "\" y2=\""
        + fmt(y2)
        + "\"/>";
  }

  private static String text(double x, double y, String anchor, String text) {
    return "<text x=\""
        + fmt(x)
        + "\" y=\""
        + fmt(y)
        + "\" text-anchor=\""
        + anchor
        + "\">"
        + escape(text)
        + "</text>";
  }

  private static String shorten(String label) {
    return label.length() <= 14 ? label : label.substring(0, 13) + "…";
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  static String escape(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
