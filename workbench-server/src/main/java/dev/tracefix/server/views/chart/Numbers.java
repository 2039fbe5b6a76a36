package dev.tracefix.server.views.chart;

import java.util.Locale;

/** Short axis labels: 3 significant digits with k/M/G, so ticks stay narrow. */
final class Numbers {
  private Numbers() {}

  static String compact(double v) {
    if (v == 0 || Double.isNaN(v) || Double.isInfinite(v)) {
      return v == 0 ? "0" : String.valueOf(v);
    }
    double a = Math.abs(v);
    String[] suffix = {"", "k", "M", "G", "T"};
    int i = 0;
    while (a >= 1000 && i < suffix.length - 1) {
      a /= 1000;
      v /= 1000;
      i++;
    }
    String digits =
        a >= 100
            ? String.format(Locale.ROOT, "%.0f", v)
            : a >= 10
                ? String.format(Locale.ROOT, "%.1f", v)
                : a >= 0.01
                    ? String.format(Locale.ROOT, "%.2f", v)
                    : String.format(Locale.ROOT, "%.2g", v);
    if (digits.contains(".") && !digits.contains("e")) {
      digits = digits.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
    return digits + suffix[i];
  }
}
