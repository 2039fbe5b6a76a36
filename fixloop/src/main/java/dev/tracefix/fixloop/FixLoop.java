package dev.tracefix.fixloop;

import dev.tracefix.fixloop.bisect.BisectOptions;
import dev.tracefix.fixloop.bisect.BisectResult;
import dev.tracefix.fixloop.bisect.Bisector;
import dev.tracefix.fixloop.minimize.Minimizer;
import dev.tracefix.fixloop.patch.Acceptance;
import dev.tracefix.fixloop.patch.CandidateReport;
import dev.tracefix.fixloop.patch.Check;
import dev.tracefix.fixloop.patch.DraftingModel;
import dev.tracefix.fixloop.patch.PatchReport;
import dev.tracefix.fixloop.patch.Patcher;
import dev.tracefix.fixloop.repro.GitRepos;
import dev.tracefix.fixloop.repro.InputTable;
import dev.tracefix.fixloop.repro.Judgement;
import dev.tracefix.fixloop.repro.RegressionTest;
import dev.tracefix.fixloop.repro.ReproHarness;
import dev.tracefix.fixloop.repro.ReproSpec;
import dev.tracefix.fixloop.repro.Verdict;
import dev.tracefix.fixloop.repro.WorkTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;

/**
 * The whole loop, headless: minimize the incident's input on the bad commit, generate the
 * regression test, bisect with the minimized repro, draft patches through the review gate, and (if
 * asked) accept the first that passes. What {@code tracefix fix} runs; the notebook runs the same
 * steps one cell at a time.
 */
public final class FixLoop {
  /**
   * @param input the incident's input sequence (empty: the repro takes none)
   * @param cacheRoot where minimization outcomes persist between runs (empty: memory only)
   * @param accept commit the chosen patch with the test and write the PR description
   */
  public record Request(
      Path repo,
      List<String> goods,
      String bad,
      ReproSpec spec,
      String specSource,
      Optional<InputTable> input,
      boolean firstParent,
      int parallel,
      Optional<Path> cacheRoot,
      boolean accept,
      Optional<DraftingModel> model,
      Path workDir) {}

  /** Everything the loop found; {@link #summaryLine()} is what {@code tracefix fix} prints last. */
  public record Result(
      Optional<Minimizer.Result> minimized,
      Optional<RegressionTest> test,
      BisectResult bisect,
      Optional<PatchReport> patch,
      Optional<Acceptance.Accepted> accepted,
      String summaryLine) {
    public boolean closed() {
      return patch.flatMap(PatchReport::chosen).isPresent();
    }
  }

  private FixLoop() {}

  public static Result run(Request request, Control control) {
    ReproSpec spec = request.spec();
    try (Repository repo = GitRepos.open(request.repo());
        WorkTrees trees =
            new WorkTrees(
                repo,
                request.workDir().resolve("trees"),
                new ReproHarness(spec, request.workDir().resolve("scratch"), control),
                8)) {
      ObjectId bad = GitRepos.commit(repo, request.bad());
      WorkTrees.Prepared badTree = trees.prepare(bad);
      if (badTree.build().verdict() != Verdict.GOOD) {
        throw new FixLoopException(
            FixLoopException.Kind.REPRO,
            "the bad commit " + request.bad() + " does not build: " + badTree.build().summary());
      }
      Optional<Minimizer.Result> minimized = Optional.empty();
      Optional<InputTable> input = request.input();
      if (input.isPresent()) {
        Optional<Path> cacheDir =
            request
                .cacheRoot()
                .map(
                    root ->
                        Minimizer.cacheDir(
                            root, spec, badTree.tree().name(), request.input().get().columns()));
        Minimizer.Result result =
            new Minimizer(trees.harness(), badTree.dir())
                .minimize(input.get(), new Minimizer.Options(request.parallel(), cacheDir));
        minimized = Optional.of(result);
        input = Optional.of(result.minimal());
      } else {
        Judgement atBad = trees.harness().judge(badTree.dir(), Optional.empty());
        if (atBad.verdict() != Verdict.BAD) {
          throw new FixLoopException(
              FixLoopException.Kind.REPRO,
              "the repro does not fail at "
                  + request.bad()
                  + ": "
                  + atBad.representative().summary());
        }
      }
      Optional<RegressionTest> test =
          input.map(
              i -> RegressionTest.generate(spec, i, request.input().get().size(), badTree.dir()));
      BisectResult bisect =
          new Bisector(trees, input)
              .bisect(
                  new BisectOptions(
                      request.goods(), request.bad(), request.firstParent(), spec.repeat(), true));
      if (!(bisect instanceof BisectResult.Found found)) {
        BisectResult.OnlySkipped skipped = (BisectResult.OnlySkipped) bisect;
        return new Result(
            minimized,
            test,
            bisect,
            Optional.empty(),
            Optional.empty(),
            "fix FAILED: only skipped commits are left, the first bad commit is one of "
                + skipped.candidates().stream().map(c -> c.substring(0, 12)).toList());
      }
      PatchReport patch =
          new Patcher(
                  trees,
                  Patcher.defaultStrategies(request.model()),
                  request.workDir().resolve("patch"))
              .patch(
                  new Patcher.Request(
                      found.culprit(), request.bad(), input, spec.incident(), test, false));
      Optional<Acceptance.Accepted> accepted = Optional.empty();
      if (request.accept() && patch.chosen().isPresent()) {
        accepted =
            Optional.of(
                Acceptance.accept(
                    trees,
                    patch,
                    new Acceptance.Request(
                        spec.incident(),
                        spec,
                        request.specSource(),
                        input,
                        request.input().map(InputTable::size).orElse(0),
                        test,
                        bisect.steps(),
                        3)));
      }
      return new Result(
          minimized,
          test,
          bisect,
          Optional.of(patch),
          accepted,
          summary(spec, minimized, found, bisect, patch, accepted));
    }
  }

  static String summary(
      ReproSpec spec,
      Optional<Minimizer.Result> minimized,
      BisectResult.Found found,
      BisectResult bisect,
      PatchReport patch,
      Optional<Acceptance.Accepted> accepted) {
    StringBuilder line =
        new StringBuilder(patch.chosen().isPresent() ? "fix ok: " : "fix FAILED: ");
    if (!spec.incident().isEmpty()) {
      line.append(spec.incident()).append(": ");
    }
    minimized.ifPresent(
        m -> {
          line.append(m.original().size())
              .append(" -> ")
              .append(m.minimal().size())
              .append(" rows");
          if (!m.changes().isEmpty()) {
            line.append(" (")
                .append(
                    String.join(
                        ", ",
                        m.changes().stream()
                            .map(
                                c ->
                                    c.column()
                                        + " "
                                        + shortValue(c.from())
                                        + " -> "
                                        + shortValue(c.to()))
                            .toList()))
                .append(')');
          }
          line.append(", ");
        });
    line.append("culprit ")
        .append(found.culprit(), 0, 12)
        .append(" \"")
        .append(found.subject())
        .append("\" (steps: ")
        .append(bisect.steps())
        .append("), ");
    if (patch.chosen().isPresent()) {
      CandidateReport c = patch.chosen().get();
      line.append("patch ")
          .append(c.strategy())
          .append(" on ")
          .append(c.branch())
          .append(" passed the review gate (")
          .append(
              String.join(
                  ", ",
                  c.checks().stream()
                      .filter(k -> k.status() == Check.Status.PASS)
                      .map(Check::name)
                      .toList()))
          .append(')');
      accepted.ifPresent(a -> line.append(", accepted as ").append(a.commit(), 0, 12));
    } else {
      line.append("no patch passed the review gate: ")
          .append(
              String.join(
                  "; ",
                  patch.candidates().stream().map(c -> c.strategy() + " " + c.reason()).toList()));
    }
    return line.toString();
  }

  private static String shortValue(Object v) {
    String s = String.valueOf(v);
    return v instanceof String && !s.matches("-?\\d+(\\.\\d+)?")
        ? "\"" + (s.length() > 24 ? s.substring(0, 21) + "..." : s) + "\""
        : s;
  }

  /** Writes {@code text} to {@code file} (the PR description), creating folders. */
  public static void write(Path file, String text) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new FixLoopException(
          FixLoopException.Kind.INTERNAL, "cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
