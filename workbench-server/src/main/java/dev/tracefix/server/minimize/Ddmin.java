package dev.tracefix.server.minimize;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Delta debugging (Zeller and Hildebrandt, "Simplifying and Isolating Failure-Inducing Input",
 * 2002): shrinks a failing input to a 1-minimal one, where removing any single element no longer
 * fails.
 *
 * <p>Candidates are subsets of the input's positions, so equal elements are told apart. Outcomes
 * are cached by subset: no subset is sent to the oracle twice. With {@code parallelism > 1} the
 * subsets (or complements) of one round are judged that many at a time and the first failing one
 * in order is taken, so the result is the same as with one thread; the price is a few speculative
 * oracle calls.
 */
public final class Ddmin<T> {
  /** The minimal input, in input order, and what it cost. */
  public record Result<T>(List<T> minimal, List<Integer> positions, int oracleCalls, int cacheHits) {}

  private final List<T> input;
  private final Oracle<T> oracle;
  private final int parallelism;
  private final Consumer<String> progress;
  private final Map<List<Integer>, Outcome> cache = new ConcurrentHashMap<>();
  private final AtomicInteger oracleCalls = new AtomicInteger();
  private final AtomicInteger cacheHits = new AtomicInteger();

  public Ddmin(List<T> input, Oracle<T> oracle, int parallelism, Consumer<String> progress) {
    this.input = List.copyOf(input);
    this.oracle = oracle;
    this.parallelism = Math.max(1, parallelism);
    this.progress = progress;
  }

  public Ddmin(List<T> input, Oracle<T> oracle) {
    this(input, oracle, 1, line -> {});
  }

  /** The oracle's verdict on the whole input (cached like every other candidate). */
  public Outcome testAll() {
    return test(range(input.size()));
  }

  /**
   * Minimizes the input. Requires {@link #testAll()} to be {@link Outcome#FAIL}.
   *
   * @throws IllegalStateException if the whole input does not fail
   */
  public Result<T> minimize() {
    if (testAll() != Outcome.FAIL) {
      throw new IllegalStateException("the whole input does not fail; nothing to minimize");
    }
    try (ExecutorService pool =
        parallelism > 1 ? Executors.newFixedThreadPool(parallelism) : null) {
      List<Integer> current = range(input.size());
      int granularity = 2;
      while (current.size() >= 2) {
        List<List<Integer>> subsets = split(current, granularity);
        int hit = firstFailing(subsets, pool);
        if (hit >= 0) {
          current = subsets.get(hit);
          granularity = 2;
          report(current);
          continue;
        }
        List<List<Integer>> complements = new ArrayList<>();
        for (List<Integer> subset : subsets) {
          complements.add(minus(current, new HashSet<>(subset)));
        }
        hit = firstFailing(complements, pool);
        if (hit >= 0) {
          current = complements.get(hit);
          granularity = Math.max(granularity - 1, 2);
          report(current);
          continue;
        }
        if (granularity >= current.size()) {
          break;
        }
        granularity = Math.min(current.size(), 2 * granularity);
      }
      current = removeSingles(current);
      List<T> minimal = current.stream().map(input::get).toList();
      return new Result<>(minimal, current, oracleCalls.get(), cacheHits.get());
    }
  }

  /**
   * Ensures 1-minimality explicitly: drop any single element whose removal still fails, until
   * none does. After a complete ddmin run every such candidate is already cached.
   */
  private List<Integer> removeSingles(List<Integer> current) {
    boolean removed = true;
    while (removed) {
      removed = false;
      for (Integer position : current) {
        List<Integer> smaller = minus(current, Set.of(position));
        if (test(smaller) == Outcome.FAIL) {
          current = smaller;
          removed = true;
          report(current);
          break;
        }
      }
    }
    return current;
  }

  private int firstFailing(List<List<Integer>> candidates, ExecutorService pool) {
    if (pool == null) {
      for (int i = 0; i < candidates.size(); i++) {
        if (test(candidates.get(i)) == Outcome.FAIL) {
          return i;
        }
      }
      return -1;
    }
    for (int from = 0; from < candidates.size(); from += parallelism) {
      List<Future<Outcome>> batch = new ArrayList<>();
      for (int i = from; i < Math.min(candidates.size(), from + parallelism); i++) {
        List<Integer> candidate = candidates.get(i);
        batch.add(pool.submit(() -> test(candidate)));
      }
      for (int i = 0; i < batch.size(); i++) {
        if (await(batch.get(i)) == Outcome.FAIL) {
          batch.forEach(f -> await(f)); // let the speculative calls finish before moving on
          return from + i;
        }
      }
    }
    return -1;
  }

  private static Outcome await(Future<Outcome> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while minimizing", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    }
  }

  private Outcome test(List<Integer> positions) {
    Outcome cached = cache.get(positions);
    if (cached != null) {
      cacheHits.incrementAndGet();
      return cached;
    }
    oracleCalls.incrementAndGet();
    Outcome outcome = oracle.test(positions.stream().map(input::get).toList());
    cache.put(List.copyOf(positions), outcome);
    return outcome;
  }

  private void report(List<Integer> current) {
    progress.accept(
        "ddmin: " + current.size() + " of " + input.size() + " rows still fail ("
            + oracleCalls.get() + " repro runs)");
  }

  /** {@code n} contiguous parts of nearly equal size, in order. */
  static List<List<Integer>> split(List<Integer> items, int n) {
    List<List<Integer>> parts = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < n; i++) {
      int end = start + (items.size() - start) / (n - i);
      parts.add(List.copyOf(items.subList(start, end)));
      start = end;
    }
    return parts;
  }

  private static List<Integer> minus(List<Integer> items, Set<Integer> removed) {
    return items.stream().filter(i -> !removed.contains(i)).toList();
  }

  private static List<Integer> range(int size) {
    List<Integer> all = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      all.add(i);
    }
    return List.copyOf(all);
  }
}
