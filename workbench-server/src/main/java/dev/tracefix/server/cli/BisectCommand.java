package dev.tracefix.server.cli;

import dev.tracefix.fixloop.FixLoopException;
import dev.tracefix.fixloop.bisect.BisectOptions;
import dev.tracefix.fixloop.bisect.BisectResult;
import dev.tracefix.fixloop.bisect.BisectStep;
import dev.tracefix.fixloop.bisect.Bisector;
import dev.tracefix.fixloop.repro.GitRepos;
import dev.tracefix.fixloop.repro.ReproHarness;
import dev.tracefix.fixloop.repro.ReproSpec;
import dev.tracefix.fixloop.repro.WorkTrees;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.eclipse.jgit.lib.Repository;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "bisect",
    mixinStandardHelpOptions = true,
    exitCodeOnInvalidInput = 1,
    description = {
      "Find the first bad commit like 'git bisect run', over the whole commit graph (merges"
          + " included), without touching your HEAD, index or files: each tested commit's tree is"
          + " written to its own folder (built once per tree) and CMD runs there.",
      "CMD's exit code decides, as for git bisect run: 0 good, 1-127 bad except 125 skip,"
          + " 128 or more aborts the bisect. The ends are checked first (bad must fail, each good"
          + " pass); those runs are not counted as steps.",
      "Progress goes to stderr; the last line on stdout is 'first bad commit: <id> (steps: N)'.",
      "Exit status: 0 found, 2 only skipped commits are left (they are listed), 1 error."
    })
final class BisectCommand implements Callable<Integer> {
  @Option(names = "--repo", required = true, description = "the git repository")
  Path repo;

  @Option(
      names = "--good",
      required = true,
      description = "a known good commit (repeat for several)")
  List<String> goods;

  @Option(names = "--bad", required = true, description = "a known bad commit")
  String bad;

  @Option(
      names = "--first-parent",
      description = "follow only first parents: a merged branch counts as its merge")
  boolean firstParent;

  @Option(
      names = "--build-ahead",
      description =
          "while a commit's CMD runs, build the commit likeliest to come next (uses a second core; stopped when the verdict goes the other way)")
  boolean buildAhead;

  @Option(
      names = "--repeat",
      defaultValue = "1",
      description =
          "runs per commit for a flaky CMD; the majority decides, a tie skips (default: ${DEFAULT-VALUE})")
  int repeat;

  @Option(
      names = "--timeout",
      defaultValue = "10m",
      description =
          "time limit per run; a run over it counts as exit 124, bad (default: ${DEFAULT-VALUE})")
  Duration timeout;

  @Option(
      names = "--build",
      description =
          "a build command run once per source tree before CMD; if it fails the commit is skipped")
  String build;

  @Option(
      names = "--trust-ends",
      description = "do not run CMD on the given good and bad commits first (as git bisect run)")
  boolean trustEnds;

  @Parameters(
      arity = "1..*",
      paramLabel = "CMD",
      description = "the command and its arguments, after --")
  List<String> command;

  @Override
  public Integer call() {
    if (repeat < 1) {
      throw new FixLoopException(FixLoopException.Kind.USER, "--repeat must be 1 or more");
    }
    Map<String, String> keys = new LinkedHashMap<>();
    keys.put("run", LoopConsole.shellCommand(command));
    keys.put("timeout", timeout.toMillis() + "ms");
    if (build != null) {
      keys.put("build", build);
    }
    try (LoopConsole console = LoopConsole.open("bisect")) {
      try (Repository git = GitRepos.open(repo);
          WorkTrees trees =
              new WorkTrees(
                  git,
                  console.workDir().resolve("trees"),
                  new ReproHarness(
                      ReproSpec.fromMap(keys, repo, "tracefix bisect"),
                      console.workDir().resolve("scratch"),
                      console.control()),
                  4)) {
        BisectResult result =
            new Bisector(trees, Optional.empty())
                .bisect(new BisectOptions(goods, bad, firstParent, repeat, !trustEnds, buildAhead));
        for (BisectStep flaky : result.disagreements()) {
          System.err.println(
              "runs disagreed on " + flaky.commit() + ": " + flaky.judgement().votes());
        }
        return switch (result) {
          case BisectResult.Found found -> {
            System.out.println(found.culprit() + " is the first bad commit: " + found.subject());
            System.out.println(
                "first bad commit: " + found.culprit() + " (steps: " + found.steps() + ")");
            yield 0;
          }
          case BisectResult.OnlySkipped skipped -> {
            System.out.println("There are only 'skip'ped commits left to test.");
            System.out.println("The first bad commit could be any of:");
            skipped.candidates().forEach(System.out::println);
            yield 2;
          }
        };
      } catch (FixLoopException e) {
        return console.fail("bisect", e);
      }
    }
  }
}
