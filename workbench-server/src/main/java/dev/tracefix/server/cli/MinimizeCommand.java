package dev.tracefix.server.cli;

import dev.tracefix.fixloop.FixLoop;
import dev.tracefix.fixloop.FixLoopException;
import dev.tracefix.fixloop.minimize.Minimizer;
import dev.tracefix.fixloop.repro.InputTable;
import dev.tracefix.fixloop.repro.RegressionTest;
import dev.tracefix.fixloop.repro.ReproHarness;
import dev.tracefix.fixloop.repro.ReproSpec;
import dev.tracefix.server.fixloop.OutcomeCaches;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "minimize",
    mixinStandardHelpOptions = true,
    exitCodeOnInvalidInput = 1,
    description = {
      "Shrink the input of a failing repro to a 1-minimal sequence (delta debugging), then make"
          + " the values that are left smaller while it still fails; writes the minimized CSV and a"
          + " regression test generated from it (JUnit 5 for a Java target, else a script).",
      "Runs in --repo as it is. Outcomes are kept on disk (the repository's .git/tracefix, or"
          + " --cache DIR), so a stopped run resumes where it was.",
      "Progress on stderr; the last line on stdout is the summary. Exit 0 minimized, 1 error."
    })
final class MinimizeCommand implements Callable<Integer> {
  @Option(
      names = "--repro",
      required = true,
      description = "the repro spec file (key: value lines)")
  Path specPath;

  @Option(
      names = "--repo",
      description = "the folder the commands run in (default: the spec file's folder)")
  Path repo;

  @Option(names = "--input", description = "the input CSV (default: the spec's input:)")
  Path input;

  @Option(
      names = "--out",
      defaultValue = "tracefix-minimized",
      description = "folder for the minimized CSV and the test (default: ${DEFAULT-VALUE})")
  Path out;

  @Option(
      names = "--parallel",
      defaultValue = "1",
      description = "repro runs at once (default: ${DEFAULT-VALUE})")
  int parallel;

  @Option(
      names = "--cache",
      description =
          "where outcomes persist (default: the repository's .git/tracefix/minimize; 'off' for none)")
  String cache;

  @Override
  public Integer call() {
    try (LoopConsole console = LoopConsole.open("minimize")) {
      try {
        Path specFile = LoopConsole.specFile(specPath, repo);
        ReproSpec spec = ReproSpec.read(specFile);
        Path folder =
            (repo == null ? specFile.toAbsolutePath().getParent() : repo)
                .toAbsolutePath()
                .normalize();
        InputTable rows =
            LoopConsole.input(input, spec)
                .orElseThrow(
                    () ->
                        new FixLoopException(
                            FixLoopException.Kind.USER,
                            "no input: pass --input CSV or set 'input:' in " + specFile));
        Optional<Path> cacheDir =
            OutcomeCaches.forFolder(
                Optional.ofNullable(cache), folder, spec, rows.columns(), console.control());
        Minimizer.Result result =
            new Minimizer(new ReproHarness(spec, console.workDir(), console.control()), folder)
                .minimize(rows, new Minimizer.Options(parallel, cacheDir));
        RegressionTest test = RegressionTest.generate(spec, result.minimal(), rows.size(), folder);
        Path csv = out.resolve("input.min.csv");
        result.minimal().writeCsv(csv);
        FixLoop.write(out.resolve(test.path()), test.content());
        System.out.println(
            "minimized: "
                + result.summary()
                + (result.changes().isEmpty()
                    ? ""
                    : " ("
                        + String.join(
                            ", ", result.changes().stream().map(Object::toString).toList())
                        + ")")
                + "; wrote "
                + csv
                + " and "
                + out.resolve(test.path()));
        return 0;
      } catch (FixLoopException e) {
        return console.fail("minimize", e);
      }
    }
  }
}
