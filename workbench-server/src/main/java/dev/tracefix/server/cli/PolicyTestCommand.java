package dev.tracefix.server.cli;

import dev.tracefix.capture.privacy.PolicyLoader;
import dev.tracefix.capture.privacy.PolicyTests;
import dev.tracefix.capture.privacy.policy.Policy;
import dev.tracefix.server.ServerException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "test",
    mixinStandardHelpOptions = true,
    description = "Run a policy's tests (FILE.tests.yaml next to FILE.yaml); exit 1 if any fails.")
final class PolicyTestCommand implements Callable<Integer> {
  @Parameters(paramLabel = "FILE", description = "policy file, e.g. policies/default.yaml")
  Path file;

  @Override
  public Integer call() throws IOException {
    Policy policy = PolicyLoader.parse(file);
    Path tests = PolicyLoader.testsFileOf(file);
    if (!Files.exists(tests)) {
      throw new ServerException(
          ServerException.Kind.INVALID, "no tests for " + file + ": write them in " + tests);
    }
    List<PolicyTests.Result> results =
        PolicyTests.run(policy, tests.toString(), Files.readString(tests));
    results.forEach(System.out::println);
    long failed = results.stream().filter(r -> !r.passed()).count();
    System.out.printf(
        "%s %s: %d tests, %d failed%n", policy.name(), policy.hash(), results.size(), failed);
    return failed == 0 ? 0 : 1;
  }
}
