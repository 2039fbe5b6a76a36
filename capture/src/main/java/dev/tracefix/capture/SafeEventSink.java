package dev.tracefix.capture;

import java.util.List;

/** Where capture delivers redacted output. Called from the capture thread; must not block long. */
public interface SafeEventSink {
  /** A process seen for the first time; always delivered before any event that names it. */
  void onProcess(SafeProcess process);

  /** A batch of events in ring-buffer order. The list is not reused by the caller. */
  void onEvents(List<SafeEvent> batch);

  /**
   * A trigger rule's richer probes went off again (or the capture ended while they were on). Sinks
   * that do not store firings may ignore them.
   */
  default void onTriggerFiring(TriggerFiring firing) {}

  /**
   * A stack seen for the first time in this capture, delivered before the first event that names it
   * ({@link SafeEvent#stackId()}). Frames are symbols, never raw addresses.
   */
  default void onStack(SafeStack stack) {}

  /**
   * One drain of the in-kernel syscall aggregates (default mode, {@link ProbeGroup#STATS}): the
   * calls completed since the last drain, one row per (process, syscall, errno, peer). Each row's
   * process was announced through {@link #onProcess} first. Sinks that do not store them may ignore
   * them.
   */
  default void onSyscallStats(java.util.List<SyscallStat> rows) {}
}
