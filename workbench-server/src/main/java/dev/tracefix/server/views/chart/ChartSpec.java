package dev.tracefix.server.views.chart;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The chart a SQL cell draws of its result, kept in the cell's fence so it travels with the
 * notebook through git and headless runs: {@code ```sql name=rate chart=line x=second
 * y=errors,calls}.
 *
 * @param type what to draw
 * @param x the column along the horizontal axis (a histogram's value column)
 * @param y the columns drawn against it, one series each (unused by histograms)
 */
public record ChartSpec(Type type, String x, List<String> y) {
  /** The fence attributes a chart is kept in. */
  public static final List<String> ATTRIBUTES = List.of("chart", "x", "y");

  private static final Pattern COLUMN = Pattern.compile("[^,\\s\"]+");

  public enum Type {
    /** Series over time or another ordered x. */
    LINE,
    /** A line filled to the axis. */
    AREA,
    /** One bar per row: x a label, y the heights. */
    BAR,
    /** Counts of x's values in logarithmic buckets (four per decade): latencies. */
    HISTOGRAM,
    /** One dot per row. */
    SCATTER;

    public String word() {
      return name().toLowerCase(Locale.ROOT);
    }

    static Type parse(String word) {
      for (Type t : values()) {
        if (t.word().equals(word)) {
          return t;
        }
      }
      throw new IllegalArgumentException(
          "chart='"
              + word
              + "' is not a chart type; use one of "
              + String.join(", ", Arrays.stream(values()).map(Type::word).toList()));
    }
  }

  public ChartSpec {
    y = List.copyOf(y);
    if (x == null || !COLUMN.matcher(x).matches()) {
      throw new IllegalArgumentException("a chart needs x=COLUMN, the column along its axis");
    }
    if (type != Type.HISTOGRAM && y.isEmpty()) {
      throw new IllegalArgumentException(
          "a " + type.word() + " chart needs y=COLUMN (several: y=a,b), the values it draws");
    }
    for (String column : y) {
      if (!COLUMN.matcher(column).matches()) {
        throw new IllegalArgumentException("y='" + column + "' is not a column name");
      }
    }
  }

  /**
   * The chart a cell's attributes ask for, if any.
   *
   * @throws IllegalArgumentException naming what is wrong, e.g. an unknown type or a missing x
   */
  public static Optional<ChartSpec> of(Map<String, String> attributes) {
    String type = attributes.get("chart");
    if (type == null) {
      return Optional.empty();
    }
    String y = attributes.getOrDefault("y", "");
    return Optional.of(
        new ChartSpec(
            Type.parse(type.toLowerCase(Locale.ROOT)),
            attributes.get("x"),
            y.isBlank() ? List.of() : List.of(y.split(","))));
  }

  /** The fence attributes that keep this chart (null values remove, for a histogram's y). */
  public Map<String, String> attributes() {
    Map<String, String> a = new LinkedHashMap<>();
    a.put("chart", type.word());
    a.put("x", x);
    a.put("y", y.isEmpty() ? null : String.join(",", y));
    return a;
  }

  /** Attribute changes that remove a chart. */
  public static Map<String, String> removal() {
    Map<String, String> a = new LinkedHashMap<>();
    ATTRIBUTES.forEach(k -> a.put(k, null));
    return a;
  }
}
