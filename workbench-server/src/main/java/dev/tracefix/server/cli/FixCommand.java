package dev.tracefix.server.cli;

import dev.tracefix.fixloop.FixLoop;
import dev.tracefix.fixloop.FixLoopException;
import dev.tracefix.fixloop.repro.GitRepos;
import dev.tracefix.fixloop.repro.ReproSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.eclipse.jgit.lib.Repository;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "fix",
    mixinStandardHelpOptions = true,
    exitCodeOnInvalidInput = 1,
    description = {
      "The whole fix loop, headless: minimize the incident's input on --bad, generate the"
          + " regression test, bisect from --good to --bad with the minimized repro, draft patches"
          + " through the review gate, and with --accept commit the first that passes.",
      "The repro spec (a key: value file, usually in the target repository) says how to build,"
          + " start and run the target, which input to replay, and what counts as failing.",
      "Progress on stderr; the last line on stdout is one summary line. Exit 0 when a patch passed"
          + " the review gate, 1 otherwise."
    })
final class FixCommand implements Callable<Integer> {
  @Option(names = "--repo", required = true, description = "the git repository")
  Path repo;

  @Option(
      names = "--good",
      required = true,
      description = "a known good commit (repeat for several)")
  List<String> goods;

  @Option(names = "--bad", required = true, description = "a known bad commit (the one to patch)")
  String bad;

  @Option(names = "--repro", required = true, description = "the repro spec file")
  Path specPath;

  @Option(names = "--input", description = "the incident's input CSV (default: the spec's input:)")
  Path input;

  @Option(names = "--first-parent", description = "bisect along first parents only")
  boolean firstParent;

  @Option(
      names = "--parallel",
      defaultValue = "1",
      description = "repro runs at once while minimizing (default: ${DEFAULT-VALUE})")
  int parallel;

  @Option(
      names = "--cache",
      description =
          "where minimization outcomes persist (default: the repository's .git/tracefix/minimize; 'off' for none)")
  String cache;

  @Option(names = "--accept", description = "commit the first patch that passes the review gate")
  boolean accept;

  @Option(
      names = "--pr-out",
      description = "where the pull-request description goes (default: PR-<branch>.md here)")
  Path prOut;

  @Override
  public Integer call() {
    try (LoopConsole console = LoopConsole.open("fix")) {
      try {
        Path specFile = LoopConsole.specFile(specPath, repo);
        ReproSpec spec = ReproSpec.read(specFile);
        Optional<Path> cacheRoot =
            "off".equals(cache)
                ? Optional.empty()
                : Optional.of(
                    cache != null ? Path.of(cache) : gitDir(repo).resolve("tracefix/minimize"));
        FixLoop.Result result =
            FixLoop.run(
                new FixLoop.Request(
                    repo,
                    goods,
                    bad,
                    spec,
                    specFile.toString(),
                    LoopConsole.input(input, spec),
                    firstParent,
                    parallel,
                    cacheRoot,
                    accept,
                    Optional.empty(),
                    console.workDir()),
                console.control());
        result
            .patch()
            .ifPresent(
                p -> {
                  p.lines().forEach(System.err::println);
                  p.chosen().ifPresent(c -> c.log().forEach(l -> System.err.println("  " + l)));
                });
        if (result.accepted().isPresent()) {
          Path pr =
              prOut != null
                  ? prOut
                  : Path.of("PR-" + result.accepted().get().branch().replace('/', '-') + ".md");
          FixLoop.write(pr, result.accepted().get().pullRequest());
          System.err.println("pull-request description: " + pr);
        }
        System.out.println(result.summaryLine());
        return result.closed() ? 0 : 1;
      } catch (FixLoopException e) {
        return console.fail("fix", e);
      }
    }
  }

  private static Path gitDir(Path repo) {
    try (Repository git = GitRepos.open(repo)) {
      return git.getDirectory().toPath();
    }
  }
}
