package dev.tracefix.server.cli;

import dev.tracefix.fixloop.FixLoop;
import dev.tracefix.fixloop.FixLoopException;
import dev.tracefix.fixloop.patch.Acceptance;
import dev.tracefix.fixloop.patch.PatchReport;
import dev.tracefix.fixloop.patch.Patcher;
import dev.tracefix.fixloop.repro.GitRepos;
import dev.tracefix.fixloop.repro.InputTable;
import dev.tracefix.fixloop.repro.RegressionTest;
import dev.tracefix.fixloop.repro.ReproHarness;
import dev.tracefix.fixloop.repro.ReproSpec;
import dev.tracefix.fixloop.repro.WorkTrees;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.eclipse.jgit.lib.Repository;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "patch",
    mixinStandardHelpOptions = true,
    exitCodeOnInvalidInput = 1,
    description = {
      "Draft a fix for a culprit commit on top of --bad: the strategies in order (a drafting"
          + " model when one is installed; revert the culprit's hunks the repro implicates; restore"
          + " a value the culprit changed; close a resource the culprit leaked, in Java), each"
          + " candidate on a branch of its own and through the review gate: secret scan, only the"
          + " culprit's files, build, repro, the target's tests, the regression test.",
      "With --accept the first candidate that passes is committed with the regression test and a"
          + " message naming the incident, culprit, repro and test; the PR description goes to --pr-out.",
      "Progress on stderr; the last line on stdout is the summary. Exit 0 a candidate passed, 1 none did or error."
    })
final class PatchCommand implements Callable<Integer> {
  @Option(names = "--repo", required = true, description = "the git repository")
  Path repo;

  @Option(names = "--culprit", required = true, description = "the first bad commit")
  String culprit;

  @Option(
      names = "--repro",
      required = true,
      description = "the repro spec file (key: value lines)")
  Path specPath;

  @Option(
      names = "--bad",
      defaultValue = "HEAD",
      description = "the commit to patch (default: ${DEFAULT-VALUE})")
  String bad;

  @Option(names = "--input", description = "the (minimized) input CSV (default: the spec's input:)")
  Path input;

  @Option(
      names = "--all",
      description = "try every strategy's candidates, not just until one passes")
  boolean all;

  @Option(
      names = "--accept",
      description = "commit the first candidate that passes the review gate")
  boolean accept;

  @Option(
      names = "--pr-out",
      description = "where the pull-request description goes (default: PR-<branch>.md here)")
  Path prOut;

  @Override
  public Integer call() {
    try (LoopConsole console = LoopConsole.open("patch")) {
      try {
        Path specFile = LoopConsole.specFile(specPath, repo);
        ReproSpec spec = ReproSpec.read(specFile);
        Optional<InputTable> rows = LoopConsole.input(input, spec);
        try (Repository git = GitRepos.open(repo);
            WorkTrees trees =
                new WorkTrees(
                    git,
                    console.workDir().resolve("trees"),
                    new ReproHarness(spec, console.workDir().resolve("scratch"), console.control()),
                    6)) {
          Optional<RegressionTest> test =
              rows.map(
                  r ->
                      RegressionTest.generate(
                          spec, r, r.size(), trees.prepare(GitRepos.commit(git, bad)).dir()));
          PatchReport report =
              new Patcher(
                      trees,
                      Patcher.defaultStrategies(Optional.empty()),
                      console.workDir().resolve("patch"))
                  .patch(new Patcher.Request(culprit, bad, rows, spec.incident(), test, all));
          report.lines().forEach(System.err::println);
          report.chosen().ifPresent(c -> c.log().forEach(l -> System.err.println("  " + l)));
          if (report.chosen().isEmpty()) {
            System.out.println(
                "patch FAILED: no candidate passed the review gate: "
                    + String.join(
                        "; ",
                        report.candidates().stream()
                            .map(c -> c.strategy() + " " + c.reason())
                            .toList()));
            return 1;
          }
          var chosen = report.chosen().get();
          String line =
              "patch ok: "
                  + chosen.strategy()
                  + " ("
                  + chosen.summary()
                  + ") on "
                  + chosen.branch()
                  + " passed the review gate";
          if (accept) {
            Acceptance.Accepted accepted =
                Acceptance.accept(
                    trees,
                    report,
                    new Acceptance.Request(
                        spec.incident(),
                        spec,
                        specFile.toString(),
                        rows,
                        rows.map(InputTable::size).orElse(0),
                        test,
                        -1,
                        3));
            Path pr =
                prOut != null
                    ? prOut
                    : Path.of("PR-" + accepted.branch().replace('/', '-') + ".md");
            FixLoop.write(pr, accepted.pullRequest());
            line +=
                ", accepted as " + accepted.commit().substring(0, 12) + ", PR description in " + pr;
          }
          System.out.println(line);
          return 0;
        }
      } catch (FixLoopException e) {
        return console.fail("patch", e);
      }
    }
  }
}
