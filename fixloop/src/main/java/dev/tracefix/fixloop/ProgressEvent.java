package dev.tracefix.fixloop;

import java.util.Locale;

/**
 * One step of progress, the same for every front end: the CLI prints {@link #line()} to stderr, a
 * notebook cell shows it under the cell.
 *
 * @param stage which part of the loop reports
 * @param done units of work done (repro runs, bisect steps), or -1 when not counted
 * @param bound the worst case for {@code done} (ddmin's bound, bisect's estimate), or -1
 * @param message what happened, one line
 */
public record ProgressEvent(Stage stage, long done, long bound, String message) {
  public enum Stage {
    REPRO,
    MINIMIZE,
    SHRINK,
    BISECT,
    BUILD,
    PATCH,
    REVIEW,
    ACCEPT;

    public String word() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public static ProgressEvent of(Stage stage, String message) {
    return new ProgressEvent(stage, -1, -1, message);
  }

  public String line() {
    String count = done < 0 ? "" : bound < 0 ? " [" + done + "]" : " [" + done + "/" + bound + "]";
    return stage.word() + ": " + message + count;
  }
}
