package dev.tracefix.capture.ffm;

/** A traced process forked a new process. Raw: holds real pids, never printed. */
public record RawForkEvent(
    long tsNs, int tgid, long startTimeNs, int childTgid, long childStartTimeNs, String comm)
    implements RawRecord {
  @Override
  public String toString() {
    return "RawForkEvent[redacted]";
  }
}
