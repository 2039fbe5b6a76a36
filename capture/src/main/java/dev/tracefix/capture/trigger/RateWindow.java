package dev.tracefix.capture.trigger;

/**
 * Tells when more than {@code limit} events fell within one second. Keeps only the timestamps of
 * the last {@code limit + 1} events, so memory is bounded by the rule's rate, not the error rate.
 */
final class RateWindow {
  private static final long WINDOW_NS = 1_000_000_000L;

  private final long[] times;
  private int next;
  private int size;

  /** A window that trips on {@code limit + 1} events within a second. */
  RateWindow(int limit) {
    times = new long[limit + 1];
  }

  /** For a rate of {@code perSecond}: trips when the last second held more events than that. */
  static RateWindow above(double perSecond) {
    if (perSecond >= 1_000_000) {
      throw new IllegalArgumentException("trigger rates above 1000000/s are not supported");
    }
    return new RateWindow((int) Math.floor(perSecond));
  }

  /** Records an event at {@code timeNs}; true if the last second now holds more than the limit. */
  boolean add(long timeNs) {
    times[next] = timeNs;
    next = (next + 1) % times.length;
    size = Math.min(size + 1, times.length);
    if (size < times.length) {
      return false;
    }
    // Full: next points at the oldest of the last limit + 1 events.
    return Math.abs(timeNs - times[next]) < WINDOW_NS;
  }

  /** When the oldest of the events the window holds happened; after a trip, the burst's first. */
  long oldestNs() {
    return size < times.length ? times[0] : times[next];
  }

  /** The events that tripped the window: {@code limit + 1} within one second. */
  int tripCount() {
    return times.length;
  }

  /** Forgets every event: a rule whose probes just went off starts counting afresh. */
  void clear() {
    size = 0;
    next = 0;
  }
}
