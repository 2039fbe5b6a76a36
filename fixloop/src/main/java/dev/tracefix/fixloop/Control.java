package dev.tracefix.fixloop;

import dev.tracefix.fixloop.repro.RunCapture;
import java.util.function.Consumer;

/**
 * What every step of the loop is handed by its front end: where progress goes, how it is stopped,
 * and how a repro run is captured when its spec judges runs by a query over a capture. The CLI and
 * the notebook cells build one each; the steps never know which.
 */
public record Control(
    Consumer<ProgressEvent> progress, Cancellation cancellation, RunCapture capture) {
  /** Without a capture ({@link RunCapture#NONE}). */
  public Control(Consumer<ProgressEvent> progress, Cancellation cancellation) {
    this(progress, cancellation, RunCapture.NONE);
  }

  /** The same control, capturing runs with {@code runs}. */
  public Control withCapture(RunCapture runs) {
    return new Control(progress, cancellation, runs);
  }

  /** No progress output, never cancelled (tests, benchmarks). */
  public static Control quiet() {
    return new Control(event -> {}, new Cancellation());
  }

  /** Progress as lines (e.g. {@code System.err::println}). */
  public static Control lines(Consumer<String> out, Cancellation cancellation) {
    return new Control(event -> out.accept(event.line()), cancellation);
  }

  public void report(ProgressEvent.Stage stage, String message) {
    progress.accept(ProgressEvent.of(stage, message));
  }

  public void report(ProgressEvent.Stage stage, long done, long bound, String message) {
    progress.accept(new ProgressEvent(stage, done, bound, message));
  }

  /** Throws {@link FixLoopException.Kind#CANCELLED} if the front end asked to stop. */
  public void check() {
    cancellation.check();
  }
}
