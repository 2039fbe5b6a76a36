package dev.tracefix.fixloop.patch;

import dev.tracefix.fixloop.repro.Attempt;
import dev.tracefix.fixloop.repro.Judgement;
import dev.tracefix.fixloop.repro.RegressionTest;
import dev.tracefix.fixloop.repro.ReproCommand;
import dev.tracefix.fixloop.repro.ReproSpec;
import dev.tracefix.fixloop.repro.Verdict;
import dev.tracefix.fixloop.repro.WorkTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.lib.ObjectId;

/**
 * The review gate every candidate goes through, cheapest first, stopping at the first failure: the
 * secret scan of the diff, the diff staying in the culprit's files, the build, the repro on the
 * minimized input, the target's own tests, and (a script test) the generated regression test.
 */
final class Guardrails {
  static final String SECRETS = "secret scan";
  static final String CULPRIT_FILES = "culprit's files";
  static final String BUILD = "build";
  static final String REPRO = "repro";
  static final String TESTS = "target's tests";
  static final String REGRESSION = "regression test";

  private final PatchContext context;
  private final Optional<RegressionTest> regressionTest;
  private final Path scratch;

  Guardrails(PatchContext context, Optional<RegressionTest> regressionTest, Path scratch) {
    this.context = context;
    this.regressionTest = regressionTest;
    this.scratch = scratch;
  }

  List<Check> check(ObjectId candidate, String diff) {
    List<Check> checks = new ArrayList<>();
    List<SecretScan.Finding> secrets = SecretScan.addedSecrets(diff);
    add(
        checks,
        SECRETS,
        secrets.isEmpty(),
        secrets.isEmpty() ? "no secret on an added line" : "adds " + secrets);
    Set<String> allowed = context.change().touchedPaths();
    List<String> outside =
        CandidateCommits.changedPaths(context.repository(), context.bad(), candidate).stream()
            .filter(p -> !allowed.contains(p))
            .toList();
    add(
        checks,
        CULPRIT_FILES,
        outside.isEmpty(),
        outside.isEmpty() ? "touches only files the culprit changed" : "also changes " + outside);
    WorkTrees trees = context.trees();
    ReproSpec spec = trees.harness().spec();
    WorkTrees.Prepared tree = null;
    if (passing(checks)) {
      tree = trees.prepare(candidate);
      if (spec.build().isEmpty()) {
        checks.add(
            new Check(BUILD, Check.Status.NOT_CONFIGURED, "the repro spec has no build command"));
      } else {
        Attempt build = tree.build();
        add(
            checks,
            BUILD,
            build.verdict() == Verdict.GOOD,
            build.verdict() == Verdict.GOOD ? "built" : build.summary());
      }
    } else {
      checks.add(new Check(BUILD, Check.Status.NOT_RUN, ""));
    }
    if (passing(checks)) {
      Judgement repro = trees.harness().judge(tree.dir(), context.input());
      add(
          checks,
          REPRO,
          repro.verdict() == Verdict.GOOD,
          (context.input().isPresent() ? "on the minimized input: " : "")
              + (repro.attempts().size() > 1 ? repro.votes() + ", " : "")
              + repro.representative().summary());
    } else {
      checks.add(new Check(REPRO, Check.Status.NOT_RUN, ""));
    }
    if (spec.test().isEmpty()) {
      checks.add(
          new Check(TESTS, Check.Status.NOT_CONFIGURED, "the repro spec has no test command"));
    } else if (passing(checks)) {
      ReproCommand.Run tests =
          new ReproCommand(spec.test().get(), spec.buildTimeout())
              .run(tree.dir(), List.of(), Map.of(), context.control().cancellation());
      add(
          checks,
          TESTS,
          tests.exitCode() == 0,
          "exit "
              + tests.exitCode()
              + (tests.exitCode() == 0
                  ? ""
                  : ": " + SecretScan.redact(lastLines(tests.outputTail(), 3))));
    } else {
      checks.add(new Check(TESTS, Check.Status.NOT_RUN, ""));
    }
    if (regressionTest.isPresent()) {
      if (regressionTest.get().kind() != RegressionTest.Kind.SCRIPT) {
        checks.add(
            new Check(
                REGRESSION,
                Check.Status.NOT_CONFIGURED,
                regressionTest.get().path()
                    + " is a JUnit test: it runs with the project's own test runner"));
      } else if (passing(checks)) {
        ReproCommand.Run run = runScript(regressionTest.get(), tree.dir(), spec);
        add(
            checks,
            REGRESSION,
            run.exitCode() == 0,
            regressionTest.get().path() + ": exit " + run.exitCode());
      } else {
        checks.add(new Check(REGRESSION, Check.Status.NOT_RUN, ""));
      }
    }
    return checks;
  }

  /** The verdicts for a diff that adds a secret: refused, nothing else run. */
  List<Check> refused(List<SecretScan.Finding> secrets) {
    List<Check> checks = new ArrayList<>();
    checks.add(new Check(SECRETS, Check.Status.FAIL, "adds " + secrets));
    for (String name : List.of(CULPRIT_FILES, BUILD, REPRO, TESTS)) {
      checks.add(new Check(name, Check.Status.NOT_RUN, ""));
    }
    return checks;
  }

  /** Runs a script regression test against {@code tree} without writing into it. */
  ReproCommand.Run runScript(RegressionTest test, Path tree, ReproSpec spec) {
    try {
      Files.createDirectories(scratch);
      Path script = Files.writeString(scratch.resolve("regression-test.sh"), test.content());
      return new ReproCommand("bash " + script, spec.timeout().plus(spec.buildTimeout()))
          .run(
              tree,
              List.of(),
              Map.of("TRACEFIX_REPO", tree.toString()),
              context.control().cancellation());
    } catch (IOException e) {
      throw new dev.tracefix.fixloop.FixLoopException(
          dev.tracefix.fixloop.FixLoopException.Kind.INTERNAL,
          "cannot write the regression test: " + e.getMessage(),
          e);
    }
  }

  private static boolean passing(List<Check> checks) {
    return checks.stream().noneMatch(c -> c.failed() || c.status() == Check.Status.NOT_RUN);
  }

  private static void add(List<Check> checks, String name, boolean ok, String detail) {
    checks.add(new Check(name, ok ? Check.Status.PASS : Check.Status.FAIL, detail));
  }

  static String lastLines(String text, int n) {
    List<String> lines = text.lines().filter(l -> !l.isBlank()).toList();
    return String.join(" | ", lines.subList(Math.max(0, lines.size() - n), lines.size())).strip();
  }
}
