package dev.tracefix.fixloop.minimize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tracefix.fixloop.Cancellation;
import dev.tracefix.fixloop.Control;
import dev.tracefix.fixloop.FixLoopException;
import dev.tracefix.fixloop.ProgressEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DdminTest {
  /** An oracle that remembers every candidate it was asked about. */
  static final class CountingOracle implements Oracle<Integer> {
    final Set<List<Integer>> asked = ConcurrentHashMap.newKeySet();
    final List<List<Integer>> calls = new ArrayList<>();
    private final java.util.function.Function<List<Integer>, Outcome> rule;

    CountingOracle(java.util.function.Function<List<Integer>, Outcome> rule) {
      this.rule = rule;
    }

    static CountingOracle failsWhen(Predicate<List<Integer>> fails) {
      return new CountingOracle(c -> fails.test(c) ? Outcome.FAIL : Outcome.PASS);
    }

    @Override
    public Outcome test(List<Integer> candidate) {
      synchronized (calls) {
        calls.add(candidate);
      }
      asked.add(candidate);
      return rule.apply(candidate);
    }
  }

  static List<Integer> upTo(int n) {
    return IntStream.range(0, n).boxed().toList();
  }

  /** The property: the result fails, and removing any one element makes it not fail. */
  static void assertOneMinimal(List<Integer> result, Oracle<Integer> oracle) {
    assertEquals(Outcome.FAIL, oracle.test(result), "result must fail: " + result);
    for (int i = 0; i < result.size(); i++) {
      List<Integer> smaller = new ArrayList<>(result);
      smaller.remove(i);
      assertNotEquals(Outcome.FAIL, oracle.test(smaller), "still fails without " + result.get(i));
    }
  }

  @Test
  void findsAPairThatFailsOnlyTogether() {
    CountingOracle oracle = CountingOracle.failsWhen(c -> c.contains(3) && c.contains(7));
    Ddmin.Result<Integer> result = new Ddmin<>(upTo(20), oracle).minimize();
    System.out.println("{3,7} of 20: " + result);
    assertEquals(List.of(3, 7), result.minimal());
    assertOneMinimal(result.minimal(), oracle);
  }

  @Test
  void findsASingleFailingElement() {
    CountingOracle oracle = CountingOracle.failsWhen(c -> c.contains(5));
    Ddmin.Result<Integer> result = new Ddmin<>(upTo(64), oracle).minimize();
    System.out.println("{5} of 64: " + result);
    assertEquals(List.of(5), result.minimal());
    assertOneMinimal(result.minimal(), oracle);
  }

  @Test
  void neverAsksTheOracleTwiceAboutTheSameSubset() {
    CountingOracle oracle = CountingOracle.failsWhen(c -> c.contains(3) && c.contains(7));
    Ddmin.Result<Integer> result = new Ddmin<>(upTo(20), oracle).minimize();
    assertEquals(oracle.calls.size(), oracle.asked.size(), "a subset was judged twice");
    assertEquals(oracle.calls.size(), result.oracleCalls());
    assertTrue(result.cacheHits() > 0, "the final 1-minimality pass should be served by the cache");
  }

  @Test
  void staysOneMinimalWhenSomeCandidatesAreUnresolved() {
    // fails with {2, 9, 13}; candidates holding 4 without 5 cannot be judged (say, do not build)
    CountingOracle oracle =
        new CountingOracle(
            c -> {
              if (c.contains(4) && !c.contains(5)) {
                return Outcome.UNRESOLVED;
              }
              return c.containsAll(List.of(2, 9, 13)) ? Outcome.FAIL : Outcome.PASS;
            });
    Ddmin.Result<Integer> result = new Ddmin<>(upTo(16), oracle).minimize();
    System.out.println("{2,9,13} with unresolved: " + result);
    assertOneMinimal(result.minimal(), oracle);
    assertTrue(result.minimal().containsAll(List.of(2, 9, 13)));
  }

  @Test
  void tellsEqualElementsApartByPosition() {
    List<String> input = List.of("small", "small", "bulk", "small", "bulk", "small");
    Oracle<String> oracle =
        c -> c.stream().filter("bulk"::equals).count() >= 2 ? Outcome.FAIL : Outcome.PASS;
    Ddmin.Result<String> result = new Ddmin<>(input, oracle).minimize();
    assertEquals(List.of("bulk", "bulk"), result.minimal());
    assertEquals(List.of(2, 4), result.positions());
  }

  @Test
  void isOneMinimalOnRandomFailureSets() {
    Random random = new Random(7);
    for (int round = 0; round < 40; round++) {
      int size = 1 + random.nextInt(40);
      Set<Integer> needed = new HashSet<>();
      for (int k = 1 + random.nextInt(4); k > 0; k--) {
        needed.add(random.nextInt(size));
      }
      // either all of 'needed' together, or (in odd rounds) any one of two disjoint pairs
      int a = random.nextInt(size);
      int b = random.nextInt(size);
      boolean alternative = round % 2 == 1;
      CountingOracle oracle =
          CountingOracle.failsWhen(
              c -> c.containsAll(needed) || (alternative && c.contains(a) && c.contains(b)));
      Ddmin.Result<Integer> result = new Ddmin<>(upTo(size), oracle).minimize();
      assertOneMinimal(result.minimal(), oracle);
    }
  }

  @Test
  void givesTheSameResultWithParallelOracleCalls() {
    Predicate<List<Integer>> fails = c -> c.contains(11) && c.contains(30) && c.contains(31);
    Ddmin.Result<Integer> serial =
        new Ddmin<>(upTo(50), CountingOracle.failsWhen(fails)).minimize();
    Ddmin.Result<Integer> parallel =
        new Ddmin<>(upTo(50), CountingOracle.failsWhen(fails), 2, line -> {}).minimize();
    System.out.println(
        "serial calls " + serial.oracleCalls() + ", parallel " + parallel.oracleCalls());
    assertEquals(serial.minimal(), parallel.minimal());
    assertEquals(List.of(11, 30, 31), parallel.minimal());
  }

  @Test
  void resumesFromTheOutcomesOnDiskAfterBeingCancelled(@TempDir Path cacheDir) {
    Predicate<List<Integer>> fails = c -> c.contains(17) && c.contains(90);
    int uninterrupted =
        new Ddmin<>(upTo(128), CountingOracle.failsWhen(fails)).minimize().oracleCalls();

    Cancellation cancel = new Cancellation();
    AtomicInteger calls = new AtomicInteger();
    Oracle<Integer> stopsAfterTen =
        c -> {
          if (calls.incrementAndGet() == 10) {
            cancel.cancel();
          }
          return fails.test(c) ? Outcome.FAIL : Outcome.PASS;
        };
    try (OutcomeCache disk = OutcomeCache.open(cacheDir)) {
      Ddmin<Integer> first =
          new Ddmin<>(upTo(128), stopsAfterTen)
              .control(new Control(e -> {}, cancel))
              .diskCache(disk, DdminTest::key);
      FixLoopException stopped = assertThrows(FixLoopException.class, first::minimize);
      assertEquals(FixLoopException.Kind.CANCELLED, stopped.kind());
    }
    CountingOracle rest = CountingOracle.failsWhen(fails);
    Ddmin.Result<Integer> resumed;
    try (OutcomeCache disk = OutcomeCache.open(cacheDir)) {
      assertEquals(9, disk.loaded(), "the tenth call was cancelled; its outcome is not kept");
      resumed = new Ddmin<>(upTo(128), rest).diskCache(disk, DdminTest::key).minimize();
    }
    System.out.println(
        "uninterrupted "
            + uninterrupted
            + " runs; cancelled after 9, resumed with "
            + resumed.oracleCalls()
            + " more ("
            + resumed.diskHits()
            + " answers from disk)");
    assertEquals(List.of(17, 90), resumed.minimal());
    assertEquals(9, resumed.diskHits());
    assertEquals(
        uninterrupted, 9 + resumed.oracleCalls(), "no candidate was run twice across the restart");
  }

  @Test
  void ignoresATornLastLineInTheCacheFile(@TempDir Path cacheDir) throws Exception {
    try (OutcomeCache disk = OutcomeCache.open(cacheDir)) {
      disk.put("a".repeat(64), Outcome.FAIL);
    }
    Files.writeString(
        cacheDir.resolve("outcomes.log"), "b".repeat(40), java.nio.file.StandardOpenOption.APPEND);
    try (OutcomeCache disk = OutcomeCache.open(cacheDir)) {
      assertEquals(1, disk.loaded());
      assertEquals(Outcome.FAIL, disk.get("a".repeat(64)).orElseThrow());
    }
  }

  @Test
  void reportsProgressAgainstTheWorstCaseBound() {
    List<ProgressEvent> events = new ArrayList<>();
    new Ddmin<>(upTo(100), CountingOracle.failsWhen(c -> c.contains(42)))
        .control(new Control(events::add, new Cancellation()))
        .minimize();
    assertTrue(!events.isEmpty());
    for (ProgressEvent e : events) {
      assertEquals(100L * 100 + 300, e.bound());
      assertTrue(e.done() > 0 && e.done() <= e.bound(), e.line());
    }
    System.out.println(events.getLast().line());
  }

  @Test
  void twoWorkersCancelSpeculationTheyNoLongerNeedAndFindTheSameResult() {
    Predicate<List<Integer>> fails = c -> c.contains(3) && c.contains(60) && c.contains(61);
    Set<String> cancelledSeen = ConcurrentHashMap.newKeySet();
    Oracle<Integer> slow =
        new Oracle<>() {
          @Override
          public Outcome test(List<Integer> candidate) {
            return test(candidate, new Cancellation());
          }

          @Override
          public Outcome test(List<Integer> candidate, Cancellation cancellation) {
            Thread worker = Thread.currentThread();
            try (var ignored = cancellation.onCancel(worker::interrupt)) {
              Thread.sleep(5);
            } catch (InterruptedException e) {
              cancelledSeen.add(candidate.toString());
              throw new FixLoopException(FixLoopException.Kind.CANCELLED, "stopped");
            }
            return fails.test(candidate) ? Outcome.FAIL : Outcome.PASS;
          }
        };
    Ddmin.Result<Integer> serial =
        new Ddmin<>(upTo(64), CountingOracle.failsWhen(fails)).minimize();
    Ddmin.Result<Integer> parallel = new Ddmin<>(upTo(64), slow).parallel(2).minimize();
    System.out.println(
        "serial "
            + serial.oracleCalls()
            + " runs; parallel "
            + parallel.oracleCalls()
            + " runs, "
            + parallel.cancelledCalls()
            + " speculative runs cancelled");
    assertEquals(serial.minimal(), parallel.minimal());
    assertTrue(parallel.cancelledCalls() > 0, "no speculative run was ever cancelled");
  }

  static String key(List<Integer> candidate) {
    try {
      return java.util.HexFormat.of()
          .formatHex(
              java.security.MessageDigest.getInstance("SHA-256")
                  .digest(candidate.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void refusesAnInputThatDoesNotFail() {
    Ddmin<Integer> ddmin = new Ddmin<>(upTo(5), c -> Outcome.PASS);
    assertEquals(Outcome.PASS, ddmin.testAll());
    assertThrows(IllegalStateException.class, ddmin::minimize);
  }

  @Test
  void twoWorkersJudgeTheFirstHalfWhileTheWholeInputIsChecked() throws Exception {
    List<Integer> whole = upTo(16);
    List<Integer> firstHalf = upTo(8);
    CountDownLatch halfStarted = new CountDownLatch(1);
    AtomicBoolean overlapped = new AtomicBoolean();
    Oracle<Integer> oracle =
        candidate -> {
          if (candidate.equals(firstHalf)) {
            halfStarted.countDown();
          } else if (candidate.equals(whole)) {
            try { // bounded only so a regression fails instead of hanging
              overlapped.set(halfStarted.await(30, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          return candidate.contains(11) ? Outcome.FAIL : Outcome.PASS;
        };
    Ddmin.Result<Integer> found = new Ddmin<>(whole, oracle).parallel(2).minimize();
    assertEquals(List.of(11), found.minimal());
    assertTrue(overlapped.get(), "the first half did not start while the whole input was judged");
  }

  @Test
  void twoWorkersRefuseAnInputThatDoesNotFailAndSayWhatItWas() {
    Ddmin<Integer> ddmin = new Ddmin<>(upTo(8), c -> Outcome.PASS).parallel(2);
    Ddmin.WholeInputDoesNotFail refused =
        assertThrows(Ddmin.WholeInputDoesNotFail.class, ddmin::minimize);
    assertEquals(Outcome.PASS, refused.outcome());
  }

  @Test
  void splitsIntoNearlyEqualContiguousParts() {
    assertEquals(List.of(List.of(0, 1), List.of(2, 3), List.of(4, 5, 6)), Ddmin.split(upTo(7), 3));
  }
}
