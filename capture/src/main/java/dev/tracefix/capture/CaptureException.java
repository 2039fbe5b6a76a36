package dev.tracefix.capture;

/** The one exception capture throws; {@link Kind} says whose fault it is and what to do. */
public final class CaptureException extends RuntimeException {
  public enum Kind {
    /** Bad arguments or configuration from the user. */
    USER,
    /** Missing privilege (root, CAP_BPF, CAP_PERFMON). */
    PRIVILEGE,
    /** The kernel lacks a feature (BTF, tracefs, a tracepoint, ring buffers). */
    KERNEL_FEATURE,
    /** A libbpf stage failed: open, load (with verifier log), attach, poll. */
    LIBBPF,
    /** A bug in tracefix. */
    INTERNAL
  }

  private final Kind kind;

  public CaptureException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public CaptureException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
