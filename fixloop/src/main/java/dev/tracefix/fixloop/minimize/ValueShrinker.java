package dev.tracefix.fixloop.minimize;

import dev.tracefix.fixloop.Control;
import dev.tracefix.fixloop.ProgressEvent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * After ddmin has removed every row it can, makes the values of the rows that are left smaller
 * while the repro still fails: numbers toward 0, stopping at the boundary where the failure goes
 * away (a cart of 6144 bytes becomes 4097 when 4096 passes), text shorter (empty, then the shortest
 * failing prefix and suffix, then single characters out), timings shorter (a schedule's {@code
 * delay_ms} is a number like any other).
 *
 * <p>Each search assumes the failure is monotone in the value (bigger fails if smaller does); where
 * it is not, the value found still fails, it is just not the smallest. Every value the shrinker
 * keeps was seen failing. Runs are capped by a budget; every candidate goes through the same
 * outcome cache as ddmin.
 */
public final class ValueShrinker {
  /**
   * One value made smaller: where, from what, to what, after how many tries (cache hits included).
   */
  public record Change(int row, String column, Object from, Object to, int runs) {
    @Override
    public String toString() {
      return "row "
          + (row + 1)
          + " "
          + column
          + ": "
          + show(from)
          + " -> "
          + show(to)
          + " ("
          + runs
          + " tries)";
    }

    private static String show(Object v) {
      String s = String.valueOf(v);
      return v instanceof String
          ? "\"" + (s.length() > 40 ? s.substring(0, 37) + "..." : s) + "\""
          : s;
    }
  }

  /** The rows after shrinking, and what changed. */
  public record Result(List<List<Object>> rows, List<Change> changes, int runs) {}

  private static final Pattern INTEGER = Pattern.compile("-?\\d{1,18}");
  private static final Pattern DECIMAL = Pattern.compile("-?\\d{1,15}\\.\\d{1,15}");

  /** A point in time written as text: not a timing, kept as it is (its gap is delay_ms). */
  private static final Pattern TIMESTAMP =
      Pattern.compile("\\d{4}-\\d{2}-\\d{2}[ T]\\d{2}:\\d{2}.*");

  private final List<String> columns;
  private final Predicate<String> shrinkable;
  private final Function<List<List<Object>>, Outcome> oracle;
  private final int budget;
  private final Control control;
  private int runs;

  /**
   * @param oracle judges whole row lists; expected to be cached (a candidate seen before is free)
   * @param budget the most oracle calls to spend
   */
  public ValueShrinker(
      List<String> columns,
      Predicate<String> shrinkable,
      Function<List<List<Object>>, Outcome> oracle,
      int budget,
      Control control) {
    this.columns = columns;
    this.shrinkable = shrinkable;
    this.oracle = oracle;
    this.budget = budget;
    this.control = control;
  }

  public Result shrink(List<List<Object>> failing) {
    List<List<Object>> rows = copy(failing);
    List<Change> changes = new ArrayList<>();
    for (int r = 0; r < rows.size(); r++) {
      for (int c = 0; c < columns.size(); c++) {
        if (!shrinkable.test(columns.get(c)) || runs >= budget) {
          continue;
        }
        int before = runs;
        Object from = rows.get(r).get(c);
        Object to = shrinkValue(rows, r, c);
        if (!String.valueOf(to).equals(String.valueOf(from))) {
          rows.get(r).set(c, to);
          Change change = new Change(r, columns.get(c), from, to, runs - before);
          changes.add(change);
          control.report(ProgressEvent.Stage.SHRINK, runs, budget, change.toString());
        }
      }
    }
    return new Result(rows, List.copyOf(changes), runs);
  }

  private Object shrinkValue(List<List<Object>> rows, int r, int c) {
    Object value = rows.get(r).get(c);
    if (value == null || value instanceof Boolean) {
      return value;
    }
    Predicate<Object> fails = candidate -> failsWith(rows, r, c, candidate);
    String text = value.toString();
    boolean isText = value instanceof String || value instanceof Character;
    if (value instanceof Long
        || value instanceof Integer
        || value instanceof Short
        || value instanceof Byte
        || value instanceof BigInteger
        || (isText && INTEGER.matcher(text).matches())) {
      long v = new BigInteger(text).longValue();
      long shrunk = shrinkInteger(v, n -> fails.test(like(value, BigInteger.valueOf(n))));
      return shrunk == v ? value : like(value, BigInteger.valueOf(shrunk));
    }
    if (value instanceof Double
        || value instanceof Float
        || value instanceof BigDecimal
        || (isText && DECIMAL.matcher(text).matches())) {
      BigDecimal v = new BigDecimal(text);
      if (v.signum() == 0) {
        return value;
      }
      if (fails.test(like(value, BigDecimal.ZERO))) {
        return like(value, BigDecimal.ZERO);
      }
      BigDecimal whole = v.setScale(0, RoundingMode.DOWN);
      if (whole.signum() != 0 && fails.test(like(value, whole))) {
        long shrunk =
            shrinkInteger(whole.longValue(), n -> fails.test(like(value, BigDecimal.valueOf(n))));
        return like(value, BigDecimal.valueOf(shrunk));
      }
      return value;
    }
    if (isText && !TIMESTAMP.matcher(text).matches()) {
      return shrinkText(text, s -> fails.test(s));
    }
    return value; // timestamps and other types keep their value
  }

  /** The smallest magnitude, same sign, that still fails: 0, or the boundary next to it. */
  private long shrinkInteger(long v, java.util.function.LongPredicate fails) {
    if (v == 0 || runs >= budget) {
      return v;
    }
    if (fails.test(0)) {
      return 0;
    }
    long sign = v < 0 ? -1 : 1;
    long lo = 0; // does not fail
    long hi = Math.abs(v); // fails
    while (hi - lo > 1 && runs < budget) {
      long mid = lo + (hi - lo) / 2;
      if (fails.test(sign * mid)) {
        hi = mid;
      } else {
        lo = mid;
      }
    }
    return sign * hi;
  }

  private String shrinkText(String text, Predicate<String> fails) {
    if (text.isEmpty() || runs >= budget) {
      return text;
    }
    if (fails.test("")) {
      return "";
    }
    // shortest failing prefix, then the shortest failing suffix of it
    int lo = 0;
    int hi = text.length();
    while (hi - lo > 1 && runs < budget) {
      int mid = lo + (hi - lo) / 2;
      if (fails.test(text.substring(0, mid))) {
        hi = mid;
      } else {
        lo = mid;
      }
    }
    String current = text.substring(0, hi);
    int dropLo = 0; // dropping this many leading characters still fails
    int dropHi = current.length();
    while (dropHi - dropLo > 1 && runs < budget) {
      int mid = dropLo + (dropHi - dropLo) / 2;
      if (fails.test(current.substring(mid))) {
        dropLo = mid;
      } else {
        dropHi = mid;
      }
    }
    current = current.substring(dropLo);
    // single characters out, left to right
    for (int i = 0; i < current.length() && current.length() > 1 && runs < budget; ) {
      String without = current.substring(0, i) + current.substring(i + 1);
      if (fails.test(without)) {
        current = without;
      } else {
        i++;
      }
    }
    return current;
  }

  private boolean failsWith(List<List<Object>> rows, int r, int c, Object candidate) {
    control.check();
    List<List<Object>> trial = copy(rows);
    trial.get(r).set(c, candidate);
    runs++;
    return oracle.apply(trial) == Outcome.FAIL;
  }

  /** {@code n} in the type of {@code original} (text stays text, a Long stays a Long). */
  private static Object like(Object original, Number n) {
    return switch (original) {
      case Long l -> n.longValue();
      case Integer i -> n.intValue();
      case Short s -> n.shortValue();
      case Byte b -> n.byteValue();
      case BigInteger b -> BigInteger.valueOf(n.longValue());
      case Double d -> n.doubleValue();
      case Float f -> n.floatValue();
      case BigDecimal d -> new BigDecimal(n.toString());
      default -> n instanceof BigDecimal d ? d.stripTrailingZeros().toPlainString() : n.toString();
    };
  }

  private static List<List<Object>> copy(List<List<Object>> rows) {
    List<List<Object>> out = new ArrayList<>();
    for (List<Object> row : rows) {
      out.add(new ArrayList<>(row));
    }
    return out;
  }
}
