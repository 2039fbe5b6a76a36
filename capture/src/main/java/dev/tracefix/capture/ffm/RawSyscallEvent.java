package dev.tracefix.capture.ffm;

/**
 * One completed syscall of the traced set, still raw (real pid).
 *
 * @param nr x86_64 syscall number; the name is resolved by the pipeline
 * @param fd the first argument when the syscall takes an fd there, else -1
 * @param ret return value, negative errno on failure
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
    long leafReturn)
    implements RawRecord, RawStacked {
  /** Raw records are never printed: this keeps pids out of logs and messages. */
  @Override
  public String toString() {
    return "RawSyscallEvent[nr=" + nr + ", redacted]";
  }
}
