package dev.tracefix.server.cli;

import dev.tracefix.capture.CaptureException;
import dev.tracefix.capture.FileModes;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

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
      FleetCommand.class,
      ForgetCommand.class,
      ServeCommand.class,
      RunCommand.class,
      ReportCommand.class,
      PolicyCommand.class,
      LlmCommand.class,
      MinimizeCommand.class,
      BisectCommand.class,
      PatchCommand.class,
      FixCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    // First, before any file exists: DuckDB creates the database, its WAL and every Parquet file
    // itself, so only the umask reaches them (see FileModes).
    try {
      applyFileModes(FileModes.fromEnvironment());
    } catch (CaptureException e) {
      System.err.println("tracefix: " + e.getMessage());
      System.exit(2);
    }
    System.exit(commandLine().execute(args));
  }

  @Option(
      names = "--group-read",
      scope = ScopeType.INHERIT,
      description = {
        "let the owner's group read what tracefix writes: files 0640, folders 0750 (default 0600,"
            + " 0700; also TRACEFIX_GROUP_READ=1). In a setgid folder (chmod g+s) files take the"
            + " folder's group. Keys stay 0600."
      })
  void groupRead(boolean on) {
    if (on) {
      applyFileModes(FileModes.GROUP_READ);
    }
  }

  private static void applyFileModes(FileModes modes) {
    modes
        .applyToProcess()
        .ifPresent(
            why ->
                System.err.println(
                    "tracefix: warning: files created by DuckDB may be readable by others: "
                        + why));
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
