package dev.tracefix.capture;

/**
 * Watches a running capture. Called on the capture thread between polls, so it must return quickly
 * (publish the snapshot, do not serve it from here); an exception it throws is reported on stderr
 * once and the capture goes on.
 */
@FunctionalInterface
public interface CaptureObserver {
  /** An observer that ignores every snapshot. */
  CaptureObserver NONE = stats -> {};

  /** A snapshot, about once a second while capturing and once more after the final drain. */
  void onStats(LiveStats stats);

  /**
   * Asked on the capture thread between polls: true ends the capture as if its duration had elapsed
   * (drained, detached and reported as usual). Interrupting the thread stops it too, but leaves the
   * thread interrupted while the sink stores the last events.
   */
  default boolean stopRequested() {
    return false;
  }

  /**
   * The probes are attached and the capture's window opens at {@code startedAt} (the captures row's
   * {@code started_at}); called once on the capture thread, so it must only take note. A recorder
   * running beside the kernel capture (a JVM's flight recorder) keeps its events from then on.
   */
  default void onStarted(java.time.Instant startedAt) {}
}
