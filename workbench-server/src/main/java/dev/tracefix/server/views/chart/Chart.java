package dev.tracefix.server.views.chart;

import dev.tracefix.server.wire.MayBeNull;
import java.util.List;

/**
 * A chart's data as the page, the HTML export and the report draw it: the same numbers, so every
 * place shows the same picture. At most {@link ChartQuery#MAX_POINTS} points per series, read from
 * the cell's whole kept result in DuckDB (not from the rows the page shows).
 *
 * @param type {@code line}, {@code area}, {@code bar}, {@code histogram} or {@code scatter}
 * @param x the x column; {@code y} the series' columns ({@code count} for a histogram)
 * @param xKind {@code time} (xs are epoch milliseconds), {@code number} or {@code category} (labels
 *     name the points; xs are their positions)
 * @param xs the points' x values; for a histogram each bucket's lower edge
 * @param labels a bar's categories, a histogram's bucket ranges; else empty
 * @param series one list of y values per y column, aligned with xs (null: no value)
 * @param rows the rows of the result
 * @param note what a reader should know: points thinned, values a log scale cannot show; or why the
 *     chart cannot be drawn (then the lists are empty)
 */
public record Chart(
    String type,
    String x,
    List<String> y,
    String xKind,
    List<Double> xs,
    List<String> labels,
    List<List<Double>> series,
    long rows,
    @MayBeNull String note) {

  /** A chart that cannot be drawn, saying why (the cell's table still shows). */
  public static Chart failed(ChartSpec spec, String why) {
    return new Chart(
        spec.type().word(), spec.x(), spec.y(), "number", List.of(), List.of(), List.of(), 0, why);
  }

  public boolean drawable() {
    return !xs.isEmpty();
  }
}
