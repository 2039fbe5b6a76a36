package dev.tracefix.server.cli;

import dev.tracefix.capture.privacy.PolicyExplainer;
import dev.tracefix.capture.privacy.PolicyLoader;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "explain",
    mixinStandardHelpOptions = true,
    description = "Print, per event type and field, what the policy keeps (default: built-in).")
final class PolicyExplainCommand implements Callable<Integer> {
  @Parameters(paramLabel = "FILE", arity = "0..1", description = "policy file")
  Path file;

  @Override
  public Integer call() {
    System.out.print(
        PolicyExplainer.explain(
            file == null ? PolicyLoader.loadDefault() : PolicyLoader.load(file)));
    return 0;
  }
}
