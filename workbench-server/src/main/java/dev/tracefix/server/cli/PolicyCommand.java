package dev.tracefix.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code tracefix policy ...}: test and explain privacy policies, manage the HMAC keys. */
@Command(
    name = "policy",
    mixinStandardHelpOptions = true,
    description = "Test and explain privacy policies; rotate, list and destroy HMAC keys.",
    subcommands = {
      PolicyTestCommand.class,
      PolicyExplainCommand.class,
      PolicyRotateKeyCommand.class,
      PolicyKeysCommand.class,
      PolicyDestroyKeyCommand.class
    })
final class PolicyCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
