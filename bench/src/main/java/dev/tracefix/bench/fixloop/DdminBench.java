package dev.tracefix.bench.fixloop;

import dev.tracefix.fixloop.Cancellation;
import dev.tracefix.fixloop.FixLoopException;
import dev.tracefix.fixloop.minimize.Ddmin;
import dev.tracefix.fixloop.minimize.Oracle;
import dev.tracefix.fixloop.minimize.Outcome;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

/**
 * ddmin's cost, measured: oracle runs against the worst-case bound n² + 3n for inputs of 100, 1,000
 * and 10,000 elements with 1, 2 and 8 failure-inducing elements (the input fails when it holds all
 * of them; positions drawn with a fixed seed, so every run asks the same questions), and the wall
 * time of 1 and 2 workers on an oracle that sleeps (a repro that waits on I/O) and stops when
 * cancelled, as a repro's process group is killed.
 *
 * <p>Run: {@code bench/ddmin.sh [sleep-ms] [n-for-wall-time] [rounds] [placements]}; results go to
 * BENCHMARKS.md. The wall time adds up several placements of the failure-inducing elements: how
 * much a second worker saves depends on where they sit (a serial search by halves is lucky when the
 * first half it tries is the failing one).
 */
public final class DdminBench {
  private DdminBench() {}

  public static void main(String[] args) {
    int sleepMillis = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    int wallN = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    System.out.println("## oracle runs against the bound\n");
    System.out.println(
        "| n | failure-inducing | oracle runs | cache hits | bound n²+3n | runs / bound | k·log2(n) |");
    System.out.println("|---|---|---|---|---|---|---|");
    for (int n : new int[] {100, 1_000, 10_000}) {
      for (int k : new int[] {1, 2, 8}) {
        Set<Integer> needed = failureInducing(n, k, 42L * n + k);
        Ddmin.Result<Integer> r = new Ddmin<>(range(n), c -> fails(c, needed)).minimize();
        check(r, needed);
        long bound = Ddmin.worstCase(n);
        System.out.printf(
            Locale.ROOT,
            "| %,d | %d | %,d | %,d | %,d | %.2e | %.0f |%n",
            n,
            k,
            r.oracleCalls(),
            r.cacheHits(),
            bound,
            r.oracleCalls() / (double) bound,
            k * Math.log(n) / Math.log(2));
      }
    }
    int seeds = args.length > 3 ? Integer.parseInt(args[3]) : 5;
    System.out.println(
        "\n## wall time, 1 vs 2 workers, oracle sleeps "
            + sleepMillis
            + " ms per run (n = "
            + wallN
            + ", "
            + seeds
            + " placements of the failure-inducing elements, best of "
            + rounds
            + " each)\n");
    System.out.println(
        "| failure-inducing | 1 worker | 2 workers | speedup (all placements) | speedup per placement, min–max"
            + " | runs (1 / 2 workers) | speculative runs cancelled |");
    System.out.println("|---|---|---|---|---|---|---|");
    for (int k : new int[] {1, 2, 8}) {
      long oneTotal = 0;
      long twoTotal = 0;
      int serialRuns = 0;
      int parallelRuns = 0;
      int cancelled = 0;
      double worst = Double.MAX_VALUE;
      double best = 0;
      for (int seed = 0; seed < seeds; seed++) {
        Set<Integer> needed = failureInducing(wallN, k, 7L * wallN + k + 1000L * seed);
        long one = Long.MAX_VALUE;
        long two = Long.MAX_VALUE;
        Ddmin.Result<Integer> serial = null;
        Ddmin.Result<Integer> parallel = null;
        for (int round = 0; round < rounds; round++) {
          long t0 = System.nanoTime();
          serial = new Ddmin<>(range(wallN), sleeping(needed, sleepMillis)).minimize();
          long t1 = System.nanoTime();
          parallel =
              new Ddmin<>(range(wallN), sleeping(needed, sleepMillis)).parallel(2).minimize();
          long t2 = System.nanoTime();
          one = Math.min(one, t1 - t0);
          two = Math.min(two, t2 - t1);
          check(serial, needed);
          check(parallel, needed);
          if (!serial.minimal().equals(parallel.minimal())) {
            throw new IllegalStateException(
                "2 workers found " + parallel.minimal() + ", 1 worker " + serial.minimal());
          }
        }
        oneTotal += one;
        twoTotal += two;
        serialRuns += serial.oracleCalls();
        parallelRuns += parallel.oracleCalls();
        cancelled += parallel.cancelledCalls();
        worst = Math.min(worst, one / (double) two);
        best = Math.max(best, one / (double) two);
      }
      System.out.printf(
          Locale.ROOT,
          "| %d | %.2f s | %.2f s | %.2fx | %.2fx–%.2fx | %d / %d | %d |%n",
          k,
          oneTotal / 1e9,
          twoTotal / 1e9,
          oneTotal / (double) twoTotal,
          worst,
          best,
          serialRuns,
          parallelRuns,
          cancelled);
    }
  }

  private static Outcome fails(List<Integer> candidate, Set<Integer> needed) {
    return new HashSet<>(candidate).containsAll(needed) ? Outcome.FAIL : Outcome.PASS;
  }

  /**
   * Sleeps like a repro waiting on I/O; a cancel interrupts the sleep, as killing a process would.
   */
  private static Oracle<Integer> sleeping(Set<Integer> needed, int millis) {
    return new Oracle<>() {
      @Override
      public Outcome test(List<Integer> candidate) {
        return test(candidate, new Cancellation());
      }

      @Override
      public Outcome test(List<Integer> candidate, Cancellation cancellation) {
        Thread worker = Thread.currentThread();
        try (var ignored = cancellation.onCancel(worker::interrupt)) {
          Thread.sleep(millis);
        } catch (InterruptedException e) {
          throw new FixLoopException(FixLoopException.Kind.CANCELLED, "stopped");
        }
        return fails(candidate, needed);
      }
    };
  }

  private static void check(Ddmin.Result<Integer> r, Set<Integer> needed) {
    if (!new HashSet<>(r.minimal()).equals(needed)) {
      throw new IllegalStateException("ddmin found " + r.minimal() + ", expected " + needed);
    }
  }

  private static Set<Integer> failureInducing(int n, int k, long seed) {
    Random random = new Random(seed);
    Set<Integer> out = new HashSet<>();
    while (out.size() < k) {
      out.add(random.nextInt(n));
    }
    return out;
  }

  private static List<Integer> range(int n) {
    List<Integer> all = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      all.add(i);
    }
    return all;
  }
}
