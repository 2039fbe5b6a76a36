package dev.tracefix.sink.spool;

import java.nio.file.Path;

/**
 * A spool segment set aside instead of ingested.
 *
 * @param original where the segment was
 * @param movedTo where it is now, in the spool's {@code quarantine/} folder
 * @param reason what is wrong with it
 */
public record Quarantined(Path original, Path movedTo, String reason) {
  /** The line printed when it happens: names the file, the reason and where it went. */
  public String message() {
    return "tracefix: spool segment "
        + original
        + " is "
        + reason
        + "; moved to "
        + movedTo
        + " and skipped, the other segments were ingested";
  }
}
