package dev.tracefix.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code tracefix llm ...}: the model behind ask cells. */
@Command(
    name = "llm",
    mixinStandardHelpOptions = true,
    description = "The model that answers ask cells (through the privacy gateway).",
    subcommands = {LlmCheckCommand.class})
final class LlmCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
