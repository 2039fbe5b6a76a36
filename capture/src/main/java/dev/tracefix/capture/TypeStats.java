package dev.tracefix.capture;

/**
 * Exact accounting of one kernel record type over a capture: {@code produced = stored + dropped}.
 *
 * @param type the record type: an {@link EventType#columnValue()} such as {@code socket_write}, or
 *     {@code exec} for the process records that describe traced programs
 * @param produced records the probes tried to put into the ring buffer (counted per CPU in the
 *     kernel, summed)
 * @param stored records read from the ring buffer by capture
 * @param dropped records lost because the ring buffer was full (a failed reserve; the traced thread
 *     never waits)
 * @param sampledOut records a probe saw and skipped because of in-kernel sampling ({@link
 *     CaptureConfig#sampling()}); not part of produced, so {@code produced = stored + dropped}
 *     holds for the records emitted, and {@code produced + sampledOut} is what the probe saw
 * @param stackFailures records of the type that asked for a stack and carry none, kernel or user
 *     (the stack map was full, or the walk failed): exactly the type's stored rows whose {@code
 *     stack_id} is NULL, as long as none were dropped; the record itself is still counted above
 */
public record TypeStats(
    String type, long produced, long stored, long dropped, long sampledOut, long stackFailures) {
  /** Accounting of a type without sampling. */
  public TypeStats(String type, long produced, long stored, long dropped) {
    this(type, produced, stored, dropped, 0, 0);
  }

  /** Accounting of a type that takes no stacks. */
  public TypeStats(String type, long produced, long stored, long dropped, long sampledOut) {
    this(type, produced, stored, dropped, sampledOut, 0);
  }

  /** True when every produced record is accounted for as stored or dropped. */
  public boolean balanced() {
    return produced == stored + dropped;
  }
}
