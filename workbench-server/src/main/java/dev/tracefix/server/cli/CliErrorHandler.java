package dev.tracefix.server.cli;

import dev.tracefix.capture.CaptureException;
import dev.tracefix.server.ServerException;
import dev.tracefix.sink.SinkException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns the domain exceptions of every module into one clear line on stderr and an exit code;
 * anything unexpected keeps its stack trace, since that is a tracefix bug.
 */
final class CliErrorHandler implements IExecutionExceptionHandler {
  /** Exit code for user errors (bad input, missing privilege): like a usage error. */
  static final int USER_ERROR = 2;

  @Override
  public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
    String name = cmd.getCommandName();
    switch (e) {
      case CaptureException ce -> {
        System.err.println("tracefix " + name + ": " + ce.getMessage());
        return ce.kind() == CaptureException.Kind.INTERNAL ? 1 : USER_ERROR;
      }
      case SinkException se -> {
        System.err.println("tracefix " + name + ": " + se.getMessage());
        return se.kind() == SinkException.Kind.INTERNAL ? 1 : USER_ERROR;
      }
      case ServerException se -> {
        System.err.println("tracefix " + name + ": " + se.getMessage());
        // A program the demo runs failed: not the user's input, as the demo's exit 1 always said.
        return se.kind() == ServerException.Kind.EXTERNAL ? 1 : USER_ERROR;
      }
      case dev.tracefix.fixloop.FixLoopException fe -> {
        // the fix-loop commands exit 1 on any error, as 'git bisect run' does
        System.err.println("tracefix " + name + ": " + fe.getMessage());
        return 1;
      }
      default -> {
        System.err.println("tracefix " + name + ": internal error: " + e);
        e.printStackTrace(System.err);
        return 1;
      }
    }
  }
}
