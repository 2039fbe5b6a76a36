package dev.tracefix.fixloop.minimize;

import dev.tracefix.fixloop.Cancellation;
import dev.tracefix.fixloop.Control;
import dev.tracefix.fixloop.FixLoopException;
import dev.tracefix.fixloop.ProgressEvent;
import dev.tracefix.fixloop.repro.InputTable;
import dev.tracefix.fixloop.repro.Judgement;
import dev.tracefix.fixloop.repro.ReproHarness;
import dev.tracefix.fixloop.repro.ReproSpec;
import dev.tracefix.fixloop.repro.Schedule;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Minimizes an input sequence against a repro on one source tree: ddmin over the rows, then value
 * shrinking of what is left, both through one outcome cache (in memory, and on disk when a cache
 * folder is given, so a stopped run resumes).
 */
public final class Minimizer {
  /**
   * @param parallel repro runs at once during ddmin
   * @param cacheDir where outcomes are kept across runs (see {@link #cacheDir}); empty: memory only
   */
  public record Options(int parallel, Optional<Path> cacheDir) {
    public static final Options DEFAULT = new Options(1, Optional.empty());
  }

  /**
   * What minimizing found.
   *
   * @param original the input as given
   * @param rowsMinimal the 1-minimal rows ddmin kept (with {@code delay_ms} once scheduled)
   * @param minimal the same rows after value shrinking: the repro input to keep
   * @param changes what value shrinking changed
   * @param oracleCalls repro runs ddmin made (memory and disk cache hits excluded)
   * @param diskHits answers ddmin took from the cache on disk
   * @param shrinkTries candidates value shrinking judged
   */
  public record Result(
      InputTable original,
      InputTable rowsMinimal,
      InputTable minimal,
      List<ValueShrinker.Change> changes,
      int oracleCalls,
      int cacheHits,
      int diskHits,
      int shrinkTries) {
    public String summary() {
      return minimal.size()
          + " of "
          + original.size()
          + " rows still fail after "
          + oracleCalls
          + " repro runs"
          + (diskHits > 0 ? " (" + diskHits + " answers from the cache on disk)" : "")
          + (changes.isEmpty() ? "" : "; " + changes.size() + " values shrunk");
    }
  }

  private final ReproHarness harness;
  private final Path tree;
  private final Control control;

  public Minimizer(ReproHarness harness, Path tree) {
    this.harness = harness;
    this.tree = tree;
    this.control = harness.control();
  }

  /**
   * The cache folder for one repro on one tree and one input's columns: a different command, build,
   * predicate, tree or column set must not reuse outcomes.
   */
  public static Path cacheDir(
      Path root, ReproSpec spec, String treeIdentity, List<String> columns) {
    String fingerprint =
        String.join(
            "\u0000",
            spec.build().orElse(""),
            spec.start().orElse(""),
            spec.ready().map(Object::toString).orElse(""),
            spec.run(),
            spec.match().map(Object::toString).orElse(""),
            spec.schedule().orElse(""),
            Integer.toString(spec.repeat()),
            treeIdentity,
            String.join(",", columns));
    return root.resolve(sha256(fingerprint).substring(0, 24));
  }

  public Result minimize(InputTable input, Options options) {
    if (input.size() == 0) {
      throw new FixLoopException(
          FixLoopException.Kind.USER, "the input has no rows; nothing to minimize");
    }
    ReproSpec spec = harness.spec();
    OutcomeCache disk = options.cacheDir().map(OutcomeCache::open).orElse(null);
    try {
      if (disk != null && disk.loaded() > 0) {
        control.report(
            ProgressEvent.Stage.MINIMIZE,
            "resuming: " + disk.loaded() + " outcomes on disk in " + disk.file().getParent());
      }
      Oracle<List<Object>> rows =
          new Oracle<>() {
            @Override
            public Outcome test(List<List<Object>> candidate) {
              return test(candidate, control.cancellation());
            }

            @Override
            public Outcome test(List<List<Object>> candidate, Cancellation cancel) {
              return outcome(
                  harness.judge(
                      tree, Optional.of(input.withRows(candidate)), spec.repeat(), cancel));
            }
          };
      control.report(
          ProgressEvent.Stage.MINIMIZE,
          "checking that the repro fails on all " + input.size() + " rows");
      Ddmin<List<Object>> ddmin =
          new Ddmin<>(input.rows(), rows).parallel(options.parallel()).control(control);
      if (disk != null) {
        ddmin.diskCache(disk, candidate -> input.withRows(candidate).sha256());
      }
      Ddmin.Result<List<Object>> found;
      try {
        found = ddmin.minimize(); // checks the full input first, while it tries the first half
      } catch (Ddmin.WholeInputDoesNotFail e) {
        throw new FixLoopException(
            FixLoopException.Kind.REPRO,
            "the repro passes on the full input; nothing to minimize (on all "
                + input.size()
                + " rows it was "
                + e.outcome().name().toLowerCase(java.util.Locale.ROOT)
                + ")",
            e);
      }
      InputTable kept = input.withRows(found.minimal());
      if (spec.schedule().isPresent()) {
        kept = Schedule.withDelays(kept, spec.schedule().get());
      }
      control.report(
          ProgressEvent.Stage.MINIMIZE,
          kept.size()
              + " of "
              + input.size()
              + " rows after "
              + found.oracleCalls()
              + " repro runs ("
              + found.cacheHits()
              + " cache hits, "
              + found.diskHits()
              + " from disk, worst case "
              + Ddmin.worstCase(input.size())
              + ")");
      ValueShrinker.Result shrunk = shrink(kept, spec, disk);
      return new Result(
          input,
          kept,
          kept.withRows(shrunk.rows()),
          shrunk.changes(),
          found.oracleCalls(),
          found.cacheHits(),
          found.diskHits(),
          shrunk.runs());
    } finally {
      if (disk != null) {
        disk.close();
      }
    }
  }

  private ValueShrinker.Result shrink(InputTable kept, ReproSpec spec, OutcomeCache disk) {
    if (spec.shrink().budget() == 0) {
      return new ValueShrinker.Result(kept.rows(), List.of(), 0);
    }
    Map<String, Outcome> seen = new ConcurrentHashMap<>();
    String timeColumn = spec.schedule().orElse(null);
    ValueShrinker shrinker =
        new ValueShrinker(
            kept.columns(),
            column -> spec.shrink().covers(column) && !column.equals(timeColumn),
            candidate -> {
              InputTable table = kept.withRows(candidate);
              String key = table.sha256();
              Outcome known = seen.get(key);
              if (known == null && disk != null) {
                known = disk.get(key).orElse(null);
              }
              if (known == null) {
                known = outcome(harness.judge(tree, Optional.of(table), spec.repeat()));
                if (disk != null) {
                  disk.put(key, known);
                }
              }
              seen.put(key, known);
              return known;
            },
            spec.shrink().budget(),
            control);
    control.report(
        ProgressEvent.Stage.SHRINK, "shrinking the values of " + kept.size() + " row(s)");
    return shrinker.shrink(kept.rows());
  }

  /** Good passes, bad fails; a skip (cannot build, failed differently) or abort cannot tell. */
  static Outcome outcome(Judgement judgement) {
    return switch (judgement.verdict()) {
      case GOOD -> Outcome.PASS;
      case BAD -> Outcome.FAIL;
      case SKIP, ABORT -> Outcome.UNRESOLVED;
    };
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
