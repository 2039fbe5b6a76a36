package dev.tracefix.capture.ffm;

/**
 * One completed call of a function probed by a uprobe/uretprobe pair, still raw (real pid).
 *
 * @param probeId the attach cookie: 1 + the target's index in the capture's uprobe list
 * @param durationNs entry to return of the call
 * @param ret the function's return register (may be a pointer: never leaves capture as is)
 */
public record RawUprobeEvent(
    long tsNs,
    long durationNs,
    long startTimeNs,
    long ret,
    int tgid,
    int tid,
    int probeId,
    String comm,
    int userStackId,
    int kernelStackId)
    implements RawRecord, RawStacked {
  /** A uretprobe's user stack starts at the return site, so no leaf caller is missing. */
  @Override
  public long leafReturn() {
    return 0;
  }

  /** Raw records are never printed: this keeps pids and return values out of logs. */
  @Override
  public String toString() {
    return "RawUprobeEvent[probeId=" + probeId + ", redacted]";
  }
}
