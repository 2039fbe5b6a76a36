package dev.tracefix.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code tracefix} command; each subcommand lives in its own class. */
@Command(
    name = "tracefix",
    mixinStandardHelpOptions = true,
    version = "tracefix 0.1.0",
    description = "Capture redacted runtime events, query them, and work a postmortem to a patch.",
    subcommands = {
      DemoCommand.class,
      CaptureCommand.class,
      SqlCommand.class,
      QueryCommand.class,
      ExportCommand.class,
      ImportCommand.class,
      ForgetCommand.class,
      ServeCommand.class,
      RunCommand.class,
      ReportCommand.class,
      PolicyCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line; tests execute it in-process. */
  public static CommandLine commandLine() {
    return new CommandLine(new Main())
        .setExecutionExceptionHandler(new CliErrorHandler())
        .registerConverter(java.time.Duration.class, new DurationConverter());
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
