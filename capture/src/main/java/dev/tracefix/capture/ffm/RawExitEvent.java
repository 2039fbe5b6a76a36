package dev.tracefix.capture.ffm;

/**
 * The last thread of a traced process exited.
 *
 * @param startTimeNs start_boottime of the process (ns since boot), part of its identity
 * @param exitStatus wait(2) status: exit code shifted left by 8, or the terminating signal
 */
public record RawExitEvent(long tsNs, int tgid, long startTimeNs, int exitStatus, String comm)
    implements RawRecord {
  @Override
  public String toString() {
    return "RawExitEvent[comm=" + comm + ", redacted]";
  }
}
