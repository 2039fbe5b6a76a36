package dev.tracefix.server.fixloop;

import dev.tracefix.fixloop.Control;
import dev.tracefix.fixloop.FixLoopException;
import dev.tracefix.server.message.CellOutput;
import dev.tracefix.server.run.CellContext;

/**
 * The notebook side of the fix loop: a cell's progress and interrupt as the loop's {@link Control},
 * and the loop's errors as cell errors. The CLI has the same two adapters for stderr and Ctrl-C
 * ({@code cli.LoopConsole}).
 */
public final class CellLoop {
  private CellLoop() {}

  public static Control control(CellContext context) {
    return new Control(
        event -> context.progress(event.line()), context.cancellation(), new CapturedRuns());
  }

  /** A fix-loop failure as the cell's error output. */
  public static CellOutput.Error error(FixLoopException e) {
    String kind =
        switch (e.kind()) {
          case USER -> "parse";
          case REPRO -> "repro";
          case GIT -> "git";
          case GUARDRAIL -> "guardrail";
          case ABORTED -> "aborted";
          case CANCELLED -> "interrupted";
          case INTERNAL -> "internal";
        };
    return new CellOutput.Error(kind, e.getMessage(), "");
  }
}
