package dev.tracefix.capture.ffm;

import dev.tracefix.capture.SafeEvent;

/**
 * One completed syscall of the traced set, still raw (real pid).
 *
 * @param nr x86_64 syscall number; the name is resolved by the pipeline
 * @param fd the first argument when the syscall takes an fd there, else -1
 * @param ret return value, negative errno on failure
 * @param copied the members {@link NetTraceLayout#SYSCALL_COPIED} names, in its order
 */
public record RawSyscallEvent(
    long tsNs,
    long durationNs,
    long startTimeNs,
    long ret,
    int tgid,
    int tid,
    int fd,
    int nr,
    String comm,
    int userStackId,
    int kernelStackId,
    long leafReturn,
    long[] copied)
    implements RawRecord, RawStacked {
  /** Sets the kernel members copied unchanged (the policy decides on them) on {@code event}. */
  public SafeEvent.Builder copyMembersInto(SafeEvent.Builder event) {
    return NetTraceLayout.SYSCALL_COPIED.applyTo(event, copied);
  }

  /** Raw records are never printed: this keeps pids out of logs and messages. */
  @Override
  public String toString() {
    return "RawSyscallEvent[nr=" + nr + ", redacted]";
  }
}
