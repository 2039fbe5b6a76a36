package dev.tracefix.capture.ffm;

/** One decoded ring-buffer record; raw, so it never leaves capture's memory. */
public sealed interface RawRecord
    permits RawNetEvent,
        RawExecEvent,
        RawSyscallEvent,
        RawTcpEvent,
        RawExitEvent,
        RawUprobeEvent,
        RawOffCpuEvent,
        RawForkEvent {
  /** Kernel monotonic time of the record. */
  long tsNs();
}
