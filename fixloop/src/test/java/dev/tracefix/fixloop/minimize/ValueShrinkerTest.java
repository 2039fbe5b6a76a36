package dev.tracefix.fixloop.minimize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracefix.fixloop.Control;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class ValueShrinkerTest {
  private static ValueShrinker.Result shrink(
      List<String> columns,
      List<List<Object>> rows,
      Predicate<List<List<Object>>> fails,
      int budget) {
    return new ValueShrinker(
            columns,
            c -> true,
            r -> fails.test(r) ? Outcome.FAIL : Outcome.PASS,
            budget,
            Control.quiet())
        .shrink(rows);
  }

  private static long number(Object v) {
    return Long.parseLong(v.toString());
  }

  @Test
  void shrinksANumberToTheBoundaryWhereTheFailureStops() {
    List<List<Object>> rows = new ArrayList<>();
    rows.add(new ArrayList<>(List.of(1700000000123L, 6144L)));
    ValueShrinker.Result r =
        shrink(List.of("time", "bytes"), rows, x -> number(x.get(0).get(1)) > 4096, 100);
    System.out.println(r.changes());
    assertEquals(
        List.of(0L, 4097L), r.rows().get(0), "time does not matter (0), bytes stop at 4096 + 1");
    assertTrue(r.runs() <= 2 + 14, "binary search: " + r.runs());
  }

  @Test
  void keepsTextAsTextAndNegativeNumbersNegative() {
    List<List<Object>> rows = List.of(new ArrayList<>(List.of("-350", "2.5")));
    ValueShrinker.Result r =
        shrink(
            List.of("delta", "ratio"),
            rows,
            x ->
                number(x.get(0).get(0)) <= -100
                    && Double.parseDouble(x.get(0).get(1).toString()) >= 2,
            100);
    assertEquals(List.of("-100", "2"), r.rows().get(0));
  }

  @Test
  void shortensTextToWhatStillFails() {
    List<List<Object>> rows =
        List.of(new ArrayList<>(List.of("cpu,host=web\\ 1 load=0.5 1700000000")));
    ValueShrinker.Result r =
        shrink(List.of("line"), rows, x -> x.get(0).get(0).toString().contains("\\ "), 200);
    System.out.println(r.changes());
    assertEquals("\\ ", r.rows().get(0).get(0));
  }

  @Test
  void makesTimingsShorter() {
    List<List<Object>> rows =
        List.of(new ArrayList<>(List.of(10L, 900L)), new ArrayList<>(List.of(20L, 40L)));
    ValueShrinker.Result r =
        shrink(List.of("id", "delay_ms"), rows, x -> number(x.get(1).get(1)) >= 30, 100);
    assertEquals(0L, r.rows().get(0).get(1), "the first gap does not matter");
    assertEquals(30L, r.rows().get(1).get(1), "the second must stay at least 30 ms");
  }

  @Test
  void stopsAtTheBudget() {
    List<List<Object>> rows = List.of(new ArrayList<>(List.of(1_000_000L)));
    ValueShrinker.Result r = shrink(List.of("n"), rows, x -> number(x.get(0).get(0)) > 777, 5);
    assertEquals(5, r.runs());
    assertTrue(number(r.rows().get(0).get(0)) > 777, "whatever it keeps still fails");
  }
}
