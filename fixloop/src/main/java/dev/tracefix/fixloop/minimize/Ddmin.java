package dev.tracefix.fixloop.minimize;

import dev.tracefix.fixloop.Cancellation;
import dev.tracefix.fixloop.Control;
import dev.tracefix.fixloop.FixLoopException;
import dev.tracefix.fixloop.ProgressEvent;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Delta debugging (Zeller and Hildebrandt, "Simplifying and Isolating Failure-Inducing Input",
 * 2002): shrinks a failing input to a 1-minimal one, where removing any single element no longer
 * fails.
 *
 * <p>Candidates are subsets of the input's positions, so equal elements are told apart. Outcomes
 * are cached by subset in memory (no subset is sent to the oracle twice) and, optionally, by
 * content on disk ({@link OutcomeCache}), so a stopped run resumes without repeating work.
 *
 * <p>With {@code parallelism > 1} the candidates of a round are judged in order with up to that
 * many in flight: a worker that finishes starts the next candidate at once, and as soon as the
 * earliest undecided candidate fails, the later ones still running are cancelled (their repro is
 * killed) and nothing they said is used. The first failing candidate in order is always the one
 * taken, so the result is the one a single worker finds; the cost is some speculative runs. A
 * worker may also run ahead into the next round ({@link #firstFailing}), which is what makes two
 * workers pay off when one element alone fails and ddmin is a search by halves, and judges the
 * first half while the whole input is checked (BENCHMARKS.md).
 */
public final class Ddmin<T> {
  /** The minimal input, in input order, and what it cost. */
  public record Result<T>(
      List<T> minimal,
      List<Integer> positions,
      int oracleCalls,
      int cacheHits,
      int diskHits,
      int cancelledCalls) {
    public Result(List<T> minimal, List<Integer> positions, int oracleCalls, int cacheHits) {
      this(minimal, positions, oracleCalls, cacheHits, 0, 0);
    }
  }

  private final List<T> input;
  private final Oracle<T> oracle;
  private int parallelism = 1;
  private Control control = Control.quiet();
  private OutcomeCache disk;
  private Function<List<T>, String> diskKey;
  private final Map<List<Integer>, Outcome> cache = new ConcurrentHashMap<>();
  private final AtomicInteger oracleCalls = new AtomicInteger();
  private final AtomicInteger cacheHits = new AtomicInteger();
  private final AtomicInteger diskHits = new AtomicInteger();
  private final AtomicInteger cancelledCalls = new AtomicInteger();
  private final AtomicInteger tests = new AtomicInteger();

  public Ddmin(List<T> input, Oracle<T> oracle) {
    this.input = List.copyOf(input);
    this.oracle = oracle;
  }

  /** The older constructor: parallelism and progress lines. */
  public Ddmin(List<T> input, Oracle<T> oracle, int parallelism, Consumer<String> progress) {
    this(input, oracle);
    parallel(parallelism);
    control(new Control(e -> progress.accept(e.line()), new Cancellation()));
  }

  public Ddmin<T> parallel(int workers) {
    this.parallelism = Math.max(1, workers);
    return this;
  }

  public Ddmin<T> control(Control control) {
    this.control = control;
    return this;
  }

  /**
   * Answers from (and records into) {@code cache}, keyed by {@code key} of a candidate's content.
   */
  public Ddmin<T> diskCache(OutcomeCache cache, Function<List<T>, String> key) {
    this.disk = cache;
    this.diskKey = key;
    return this;
  }

  /**
   * The worst case of ddmin's tests for {@code n} elements, n² + 3n (Zeller and Hildebrandt, 2002);
   * the bound progress is reported against.
   */
  public static long worstCase(int n) {
    return (long) n * n + 3L * n;
  }

  /** The oracle's verdict on the whole input (cached like every other candidate). */
  public Outcome testAll() {
    return test(range(input.size()), control.cancellation());
  }

  /**
   * Minimizes the input. Requires {@link #testAll()} to be {@link Outcome#FAIL}.
   *
   * @throws WholeInputDoesNotFail if the whole input does not fail
   * @throws FixLoopException of kind CANCELLED when the control is cancelled
   */
  public Result<T> minimize() {
    try (ExecutorService pool =
        parallelism > 1 ? Executors.newFixedThreadPool(parallelism) : null) {
      Outcome whole = pool == null ? testAll() : testAllWithFirstHalf(pool);
      if (whole != Outcome.FAIL) {
        throw new WholeInputDoesNotFail(whole);
      }
      List<Integer> current = range(input.size());
      int granularity = 2;
      while (current.size() >= 2) {
        List<List<Integer>> subsets = split(current, granularity);
        int hit = firstFailing(subsets, pool, true);
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
        hit =
            granularity == 2
                ? -1
                : firstFailing(complements, pool, false); // n=2: complements are the subsets
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
      current = removeSingles(current, pool);
      List<T> minimal = current.stream().map(input::get).toList();
      return new Result<>(
          minimal,
          current,
          oracleCalls.get(),
          cacheHits.get(),
          diskHits.get(),
          cancelledCalls.get());
    }
  }

  /** {@link #minimize()} was asked to shrink an input that does not fail as a whole. */
  public static final class WholeInputDoesNotFail extends IllegalStateException {
    private final Outcome outcome;

    WholeInputDoesNotFail(Outcome outcome) {
      super(
          "the whole input does not fail (it was "
              + outcome.name().toLowerCase(java.util.Locale.ROOT)
              + "); nothing to minimize");
      this.outcome = outcome;
    }

    /** The whole input's verdict. */
    public Outcome outcome() {
      return outcome;
    }
  }

  /**
   * The whole input's verdict, judged while a second worker already judges its first half: ddmin
   * needs that half next whenever the whole input fails, which is the only case it goes on, so the
   * initial check no longer costs a round of its own. When the whole input does not fail the half
   * is stopped and its verdict, if any, only sits in the cache.
   */
  private Outcome testAllWithFirstHalf(ExecutorService pool) {
    List<Integer> all = range(input.size());
    Flight whole = launch(all, pool);
    List<Integer> firstHalf = all.size() >= 2 ? split(all, 2).getFirst() : null;
    Flight half = firstHalf == null ? null : launch(firstHalf, pool);
    Outcome outcome;
    try {
      outcome = await(whole.future());
    } catch (RuntimeException e) {
      if (half != null) {
        stop(firstHalf, half);
      }
      throw e;
    }
    if (outcome != Outcome.FAIL && half != null) {
      stop(firstHalf, half);
    }
    return outcome;
  }

  /**
   * Ensures 1-minimality explicitly: drop any single element whose removal still fails, until none
   * does. After a complete ddmin run every such candidate is already cached.
   */
  private List<Integer> removeSingles(List<Integer> current, ExecutorService pool) {
    while (current.size() > 1) {
      List<List<Integer>> smaller = new ArrayList<>();
      for (Integer position : current) {
        smaller.add(minus(current, Set.of(position)));
      }
      int hit = firstFailing(smaller, pool, false);
      if (hit < 0) {
        break;
      }
      current = smaller.get(hit);
      report(current);
    }
    return current;
  }

  /** A candidate being judged by a worker, and how to stop it. */
  private record Flight(Future<Outcome> future, Cancellation stop) {
    boolean busy() {
      return !future.isDone();
    }
  }

  /**
   * Candidates being judged now, so a later round awaits a run it needs instead of repeating it.
   */
  private final Map<List<Integer>, Flight> flying = new ConcurrentHashMap<>();

  private Flight launch(List<Integer> candidate, ExecutorService pool) {
    Optional<Outcome> known = cached(candidate);
    if (known.isPresent()) {
      return new Flight(CompletableFuture.completedFuture(known.get()), new Cancellation());
    }
    return flying.computeIfAbsent(
        candidate,
        c -> {
          Cancellation stop = new Cancellation();
          Future<Outcome> future =
              pool.submit(
                  () -> {
                    try {
                      return test(c, stop);
                    } finally {
                      flying.remove(c);
                    }
                  });
          return new Flight(future, stop);
        });
  }

  private void stop(List<Integer> candidate, Flight flight) {
    if (flight.busy()) {
      flight.stop().cancel();
      flight.future().cancel(true);
      flying.remove(candidate, flight);
      cancelledCalls.incrementAndGet();
    }
  }

  /**
   * The index of the first candidate, in order, that fails; -1 if none does.
   *
   * <p>With workers, candidates are started in order as workers free up. In a round of subsets, a
   * worker may instead start the first candidate of the round ddmin would do next if the earliest
   * undecided candidate failed (its first half): ahead of the second candidate when the round has
   * only two, else once every candidate runs. That run is kept when the premise holds (the next
   * round finds it running or cached) and stopped as soon as it does not. With one failure-inducing
   * element this lets two workers settle up to two halvings per round instead of one, the way a
   * serial ddmin would have gone; the result is still the serial one.
   */
  private int firstFailing(
      List<List<Integer>> candidates, ExecutorService pool, boolean lookAhead) {
    if (pool == null) {
      for (int i = 0; i < candidates.size(); i++) {
        if (test(candidates.get(i), control.cancellation()) == Outcome.FAIL) {
          return i;
        }
      }
      return -1;
    }
    List<Flight> flights = new ArrayList<>();
    Map<Integer, Flight> ahead = new java.util.HashMap<>();
    Map<Integer, List<Integer>> aheadOf = new java.util.HashMap<>();
    int hit = -1;
    try {
      for (int i = 0; i < candidates.size(); i++) {
        while (busy(flights, ahead) < parallelism) {
          if (flights.size() <= i) {
            flights.add(launch(candidates.get(flights.size()), pool));
            continue;
          }
          List<Integer> next =
              lookAhead && candidates.get(i).size() >= 2 && !aheadOf.containsKey(i)
                  ? split(candidates.get(i), 2).getFirst()
                  : null;
          boolean moreCandidates = flights.size() < candidates.size();
          if (next != null && (candidates.size() == 2 || !moreCandidates)) {
            aheadOf.put(i, next);
            ahead.put(i, launch(next, pool));
          } else if (moreCandidates) {
            flights.add(launch(candidates.get(flights.size()), pool));
          } else {
            break;
          }
        }
        if (await(flights.get(i).future()) == Outcome.FAIL) {
          hit = i;
          return i;
        }
        Flight wrong = ahead.remove(i); // its premise, candidate i failing, did not hold
        if (wrong != null) {
          stop(aheadOf.get(i), wrong);
        }
      }
      return -1;
    } finally {
      // Whatever is still running is speculation nobody needs now (or the run was cancelled),
      // except the look-ahead into the round that comes next.
      for (int j = 0; j < flights.size(); j++) {
        if (j != hit) {
          stop(candidates.get(j), flights.get(j));
        }
      }
      for (var e : ahead.entrySet()) {
        if (e.getKey() != hit || control.cancellation().isCancelled()) {
          stop(aheadOf.get(e.getKey()), e.getValue());
        }
      }
    }
  }

  private static int busy(List<Flight> flights, Map<Integer, Flight> ahead) {
    int n = 0;
    for (Flight f : flights) {
      n += f.busy() ? 1 : 0;
    }
    for (Flight f : ahead.values()) {
      n += f.busy() ? 1 : 0;
    }
    return n;
  }

  private Outcome await(Future<Outcome> future) {
    try (var ignored = control.cancellation().onCancel(() -> future.cancel(true))) {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FixLoopException(
          FixLoopException.Kind.CANCELLED, "interrupted while minimizing", e);
    } catch (java.util.concurrent.CancellationException e) {
      control.check();
      throw new FixLoopException(FixLoopException.Kind.CANCELLED, "minimization cancelled", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r
          ? r
          : new IllegalStateException(e.getCause());
    }
  }

  private Optional<Outcome> cached(List<Integer> positions) {
    Outcome known = cache.get(positions);
    if (known != null) {
      cacheHits.incrementAndGet();
      return Optional.of(known);
    }
    if (disk != null) {
      Optional<Outcome> stored = disk.get(diskKey.apply(values(positions)));
      if (stored.isPresent()) {
        diskHits.incrementAndGet();
        tests.incrementAndGet();
        cache.put(List.copyOf(positions), stored.get());
        return stored;
      }
    }
    return Optional.empty();
  }

  private Outcome test(List<Integer> positions, Cancellation stop) {
    Optional<Outcome> known = cached(positions);
    if (known.isPresent()) {
      return known.get();
    }
    control.check();
    Cancellation both = new Cancellation();
    try (var a = stop.onCancel(both::cancel);
        var b = control.cancellation().onCancel(both::cancel)) {
      Outcome outcome = oracle.test(values(positions), both);
      if (both.isCancelled()) {
        throw new FixLoopException(FixLoopException.Kind.CANCELLED, "cancelled");
      }
      oracleCalls.incrementAndGet();
      tests.incrementAndGet();
      cache.put(List.copyOf(positions), outcome);
      if (disk != null) {
        disk.put(diskKey.apply(values(positions)), outcome);
      }
      return outcome;
    }
  }

  private List<T> values(List<Integer> positions) {
    return positions.stream().map(input::get).toList();
  }

  private void report(List<Integer> current) {
    control.report(
        ProgressEvent.Stage.MINIMIZE,
        tests.get(),
        worstCase(input.size()),
        current.size()
            + " of "
            + input.size()
            + " rows still fail ("
            + oracleCalls.get()
            + " repro runs"
            + (diskHits.get() > 0 ? ", " + diskHits.get() + " answers from the cache on disk" : "")
            + ")");
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
