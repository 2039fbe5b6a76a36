package dev.tracefix.server.views.chart;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a {@link Chart} of a kept result in DuckDB, whatever its size: lines, areas and scatters
 * keep every k-th point in x order (at most {@link #MAX_POINTS}), bars the first {@link #MAX_BARS}
 * rows, histograms count in SQL. A chart that cannot be drawn (a column the result lacks, text
 * where numbers are needed) says why in its note instead of failing the cell.
 */
public final class ChartQuery {
  public static final int MAX_POINTS = 2000;
  public static final int MAX_BARS = 100;

  /** Histogram buckets per decade: edges at 1, 1.78, 3.16, 5.62, 10, ... */
  static final int BUCKETS_PER_DECADE = 4;

  private ChartQuery() {}

  public static Chart read(Connection connection, String relation, ChartSpec spec)
      throws SQLException {
    Map<String, String> types = columnTypes(connection, relation);
    List<String> wanted = new ArrayList<>(List.of(spec.x()));
    wanted.addAll(spec.y());
    for (String column : wanted) {
      if (!types.containsKey(column.toLowerCase(Locale.ROOT))) {
        return Chart.failed(
            spec,
            "no column '"
                + column
                + "' in the result; its columns: "
                + String.join(", ", types.keySet()));
      }
    }
    long rows = count(connection, "SELECT count(*) FROM " + relation);
    return switch (spec.type()) {
      case LINE, AREA, SCATTER -> series(connection, relation, spec, types, rows);
      case BAR -> bars(connection, relation, spec, rows);
      case HISTOGRAM -> histogram(connection, relation, spec, types, rows);
    };
  }

  private static Chart series(
      Connection c, String relation, ChartSpec spec, Map<String, String> types, long rows)
      throws SQLException {
    String kind = xKind(types.get(spec.x().toLowerCase(Locale.ROOT)));
    String x = quote(spec.x());
    String xValue =
        switch (kind) {
          case "time" -> "epoch_ms(" + x + ")::DOUBLE";
          case "number" -> x + "::DOUBLE";
          default -> "NULL::DOUBLE"; // categories: positions, in the result's order
        };
    long every = Math.max(1, -Math.floorDiv(-rows, MAX_POINTS));
    String order = kind.equals("category") ? "rowid" : xValue;
    String sql =
        "SELECT "
            + xValue
            + " AS x, CAST("
            + x
            + " AS VARCHAR) AS label"
            + ys(spec)
            + " FROM (SELECT *, row_number() OVER (ORDER BY "
            + order
            + ") - 1 AS tracefix_n"
            + " FROM "
            + relation
            + " WHERE "
            + x
            + " IS NOT NULL)"
            + " WHERE tracefix_n % "
            + every
            + " = 0 ORDER BY tracefix_n";
    List<Double> xs = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    List<List<Double>> series = emptySeries(spec.y().size());
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        xs.add(kind.equals("category") ? (double) xs.size() : rs.getDouble(1));
        if (kind.equals("category")) {
          labels.add(rs.getString(2));
        }
        readYs(rs, 3, series);
      }
    }
    String note = every > 1 ? "every " + every + "th of " + rows + " rows drawn" : null;
    return new Chart(spec.type().word(), spec.x(), spec.y(), kind, xs, labels, series, rows, note);
  }

  private static Chart bars(Connection c, String relation, ChartSpec spec, long rows)
      throws SQLException {
    String sql =
        "SELECT CAST("
            + quote(spec.x())
            + " AS VARCHAR)"
            + ys(spec)
            + " FROM "
            + relation
            + " LIMIT "
            + MAX_BARS;
    List<Double> xs = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    List<List<Double>> series = emptySeries(spec.y().size());
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        xs.add((double) xs.size());
        labels.add(rs.getString(1) == null ? "NULL" : rs.getString(1));
        readYs(rs, 2, series);
      }
    }
    String note = rows > MAX_BARS ? "the first " + MAX_BARS + " of " + rows + " rows drawn" : null;
    return new Chart(
        spec.type().word(), spec.x(), spec.y(), "category", xs, labels, series, rows, note);
  }

  /** Counts per logarithmic bucket, empty buckets between the first and last included. */
  private static Chart histogram(
      Connection c, String relation, ChartSpec spec, Map<String, String> types, long rows)
      throws SQLException {
    if (!xKind(types.get(spec.x().toLowerCase(Locale.ROOT))).equals("number")) {
      return Chart.failed(spec, "a histogram counts numbers; '" + spec.x() + "' is not numeric");
    }
    String v = "TRY_CAST(" + quote(spec.x()) + " AS DOUBLE)";
    Map<Integer, Long> counts = new LinkedHashMap<>();
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT floor(log10(v) * "
                    + BUCKETS_PER_DECADE
                    + ")::INTEGER AS b, count(*)"
                    + " FROM (SELECT "
                    + v
                    + " AS v FROM "
                    + relation
                    + ") WHERE v > 0"
                    + " GROUP BY b ORDER BY b")) {
      while (rs.next()) {
        counts.put(rs.getInt(1), rs.getLong(2));
      }
    }
    long outside =
        count(
            c,
            "SELECT count(*) FROM (SELECT "
                + v
                + " AS v FROM "
                + relation
                + ") WHERE NOT (v > 0) OR v IS NULL");
    List<Double> xs = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    List<Double> heights = new ArrayList<>();
    if (!counts.isEmpty()) {
      int first = counts.keySet().stream().min(Integer::compare).orElseThrow();
      int last = counts.keySet().stream().max(Integer::compare).orElseThrow();
      for (int b = first; b <= last; b++) {
        double lo = edge(b);
        xs.add(lo);
        labels.add(Numbers.compact(lo) + "–" + Numbers.compact(edge(b + 1)));
        heights.add((double) counts.getOrDefault(b, 0L));
      }
    }
    String note =
        outside > 0
            ? outside + " of " + rows + " values are zero, negative or NULL and are not counted"
            : null;
    return new Chart(
        spec.type().word(),
        spec.x(),
        List.of("count"),
        "number",
        xs,
        labels,
        List.of(heights),
        rows,
        note);
  }

  static double edge(int bucket) {
    return Math.pow(10, bucket / (double) BUCKETS_PER_DECADE);
  }

  private static String ys(ChartSpec spec) {
    StringBuilder sb = new StringBuilder();
    for (String y : spec.y()) {
      sb.append(", TRY_CAST(").append(quote(y)).append(" AS DOUBLE)");
    }
    return sb.toString();
  }

  private static List<List<Double>> emptySeries(int n) {
    List<List<Double>> series = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      series.add(new ArrayList<>());
    }
    return series;
  }

  private static void readYs(ResultSet rs, int firstColumn, List<List<Double>> series)
      throws SQLException {
    for (int i = 0; i < series.size(); i++) {
      double value = rs.getDouble(firstColumn + i);
      series.get(i).add(rs.wasNull() ? null : value);
    }
  }

  /** How an x column is drawn, from its DuckDB type. */
  static String xKind(String duckdbType) {
    String t = duckdbType.toUpperCase(Locale.ROOT);
    if (t.startsWith("TIMESTAMP") || t.equals("DATE")) {
      return "time";
    }
    if (t.matches("(U?)(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)|FLOAT|DOUBLE|DECIMAL.*|REAL")) {
      return "number";
    }
    return "category";
  }

  private static Map<String, String> columnTypes(Connection c, String relation)
      throws SQLException {
    Map<String, String> types = new LinkedHashMap<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("DESCRIBE SELECT * FROM " + relation)) {
      while (rs.next()) {
        types.putIfAbsent(
            rs.getString("column_name").toLowerCase(Locale.ROOT), rs.getString("column_type"));
      }
    }
    return types;
  }

  private static long count(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }
}
