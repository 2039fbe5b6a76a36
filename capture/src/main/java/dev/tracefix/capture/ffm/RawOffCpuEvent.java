package dev.tracefix.capture.ffm;

/**
 * A traced thread was off the CPU (sched_switch out to in). Raw: holds real ids, never printed.
 *
 * @param prevState sched_switch prev_state when the thread left the CPU
 */
public record RawOffCpuEvent(
    long tsNs,
    long durationNs,
    long startTimeNs,
    int tgid,
    int tid,
    int prevState,
    String comm,
    int userStackId,
    int kernelStackId,
    long leafReturn)
    implements RawRecord, RawStacked {
  @Override
  public String toString() {
    return "RawOffCpuEvent[redacted]";
  }
}
