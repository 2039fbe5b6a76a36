package dev.tracefix.capture.privacy;

/** Coarse numbers: enough to see "large" and "slow", not enough to fingerprint a payload. */
public final class Buckets {
  private Buckets() {}

  /** The smallest power of two at least {@code v} (0 and negatives stay 0). */
  public static long powerOfTwo(long v) {
    if (v <= 0) {
      return 0;
    }
    long high = Long.highestOneBit(v);
    return high == v || high == 1L << 62 ? high : high << 1;
  }

  /** The 1-2-5 log bucket at or below {@code v}: 1, 2, 5, 10, 20, 50, ... (0 stays 0). */
  public static long logDuration(long v) {
    if (v <= 0) {
      return 0;
    }
    long decade = 1;
    while (decade <= v / 10) {
      decade *= 10;
    }
    if (v >= 5 * decade) {
      return 5 * decade;
    }
    return v >= 2 * decade ? 2 * decade : decade;
  }
}
